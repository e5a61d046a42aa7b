import type { BloomFilter } from '../bloom/bloom-filter.js'
import type { ParquetFooter } from '../parquet/footer.js'
import { WeightedLru } from '../storage/weighted-lru.js'

/** Options of a `BlockCache`. */
export interface BlockCacheOptions {
  /** Memory budget in bytes, shared by bloom shards and footers (default 128 MiB). */
  maxBytes?: number
}

/** Default `maxBytes`: Tempo's bench tenant needs ~12 MB; a 1,000-block tenant would need ~380 MB whole. */
export const DEFAULT_BLOCK_CACHE_BYTES = 128 * 2 ** 20

/**
 * A parsed footer holds ~11-14x its bytes in heap (measured on Tempo's bench blocks and generated
 * ones): thrift structs, schema tree and statistics strings.
 */
const FOOTER_HEAP_FACTOR = 14

/**
 * What a long-running process (the local server) keeps of blocks between requests: parsed bloom shards
 * and parquet footers, which never change once Tempo has written a block (a compacted block gets a new
 * ID). Bounded by one memory budget, least recently used first; keys are the objects' store keys.
 */
export class BlockCache {
  private readonly lru: WeightedLru<BloomFilter | ParquetFooter>

  constructor(options: BlockCacheOptions = {}) {
    this.lru = new WeightedLru(options.maxBytes ?? DEFAULT_BLOCK_CACHE_BYTES)
  }

  /** Bytes held now (estimated for footers). */
  get bytes(): number {
    return this.lru.weight
  }

  /** The parsed bloom shard stored under `key`, loaded by `load` when not cached. */
  bloom(key: string, load: () => Promise<BloomFilter>): Promise<BloomFilter> {
    return this.lru.get(`bloom:${key}`, async () => {
      const value = await load()
      return { value, weight: value.byteLength }
    }) as Promise<BloomFilter>
  }

  /** The parsed footer of the parquet file under `key`, loaded by `load` when not cached. */
  footer(key: string, load: () => Promise<ParquetFooter>): Promise<ParquetFooter> {
    return this.lru.get(`footer:${key}`, async () => {
      const value = await load()
      return { value, weight: FOOTER_HEAP_FACTOR * (value.fileSize - value.metadataStart) }
    }) as Promise<ParquetFooter>
  }
}
