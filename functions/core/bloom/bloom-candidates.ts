import type { BlockMeta } from '../blocks/block-meta.js'
import { BlockObjects, type TempoLayout } from '../storage/layout.js'
import type { ObjectStore } from '../storage/object-store.js'
import { BloomFilter, bloomHashes, type BloomHashes } from './bloom-filter.js'
import { fnv1_32 } from './fnv.js'
import type { BlockCache } from '../search/block-cache.js'

/** What a block's bloom filter says of some IDs. */
export interface BloomVerdict {
  /** IDs that may be in the block, in the order given. */
  candidates: Uint8Array[]
  /** IDs the block certainly does not hold. */
  rejected: Uint8Array[]
  /** Shards that could not be read or parsed; their IDs are in neither list. */
  errors: unknown[]
}

/**
 * Test each ID against its bloom shard, fetching every needed shard once (or taking it from `cache`) and
 * all of them concurrently.
 * A missing or unreadable shard is an error for its own IDs only; aborting via `signal` rejects.
 */
export async function bloomCandidates(
  store: ObjectStore,
  layout: TempoLayout,
  tenant: string,
  meta: BlockMeta,
  ids: readonly Uint8Array[],
  signal?: AbortSignal,
  cache?: BlockCache,
): Promise<BloomVerdict> {
  // Tempo's default shard count, for metas written before the field existed.
  const shardCount = meta.bloomShards > 0 ? meta.bloomShards : 10
  if (!Number.isInteger(shardCount)) throw new RangeError(`bloom: invalid shard count ${shardCount}`)
  const byShard = new Map<number, Uint8Array[]>()
  for (const id of ids) {
    const shard = probeOf(id).fnv % shardCount
    const list = byShard.get(shard)
    if (list) list.push(id)
    else byShard.set(shard, [id])
  }
  signal?.throwIfAborted()
  const errors: unknown[] = []
  const filters = await Promise.all(
    [...byShard.keys()].map(async (shard) => {
      try {
        const key = layout.blockObject(tenant, meta.blockId, BlockObjects.bloom(shard))
        const load = async () => BloomFilter.parse(await store.get(key), { tenant, blockId: meta.blockId, shard })
        return await (cache ? cache.bloom(key, load) : load())
      } catch (error) {
        if (signal?.aborted) throw error
        errors.push(error)
        return undefined
      }
    }),
  )
  const passing = new Set<Uint8Array>()
  const rejected: Uint8Array[] = []
  ;[...byShard.values()].forEach((shardIds, i) => {
    const filter = filters[i]
    if (!filter) return
    for (const id of shardIds) {
      if (filter.hasHashes(probeOf(id).hashes)) passing.add(id)
      else rejected.push(id)
    }
  })
  return { candidates: ids.filter((id) => passing.has(id)), rejected, errors }
}

/** What testing an ID against any block's filter needs: its shard hash and its bloom base hashes. */
interface BloomProbe {
  fnv: number
  hashes: BloomHashes
}

// A reader tests the same ID arrays against every block it searches, and the hashes depend on the ID
// alone: computed once per array, not once per ID and block.
const probes = new WeakMap<Uint8Array, BloomProbe>()

function probeOf(id: Uint8Array): BloomProbe {
  let probe = probes.get(id)
  if (probe === undefined) probes.set(id, (probe = { fnv: fnv1_32(id), hashes: bloomHashes(id) }))
  return probe
}
