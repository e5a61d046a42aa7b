import { CorruptBlockError, TempoBatchError } from '../contract/errors.js'
import { fnv1_32 } from './fnv.js'
import { murmur3Into } from './murmur3.js'

/**
 * Tempo's sharded bloom filter (bits-and-blooms/bloom v3 `WriteTo` layout, spec §3): a big-endian header
 * `m, k, length` (uint64 each) then `ceil(length/64)` big-endian uint64 words; bit i is bit `i & 63` (from
 * the least significant end) of word `i >> 6`.
 */

const HEADER_BYTES = 24
// Anything larger is not a Tempo bloom shard (default 819,200 bits); it also keeps bit math in doubles.
const MAX_BITS = 2 ** 40
const MAX_HASHES = 1000
// Tempo's writer never creates more shards than this.
const MAX_SHARDS = 1000

/** The bytes are not a bloom filter (bad header or length). Callers wrap it into a `CorruptBlockError`. */
export class InvalidBloomFilterError extends TempoBatchError {}

/** Where a shard came from, so parse errors can name the tenant and block. */
export interface BloomSource {
  tenant: string
  blockId: string
  shard: number
}

/** Which `bloom-N` shard holds `id` (16-byte padded trace ID): FNV-1 32 mod shardCount. */
export function bloomShardOf(id: Uint8Array, shardCount: number): number {
  if (!Number.isInteger(shardCount) || shardCount < 1) throw new RangeError(`bloom: invalid shard count ${shardCount}`)
  return fnv1_32(id) % shardCount
}

/** The four 64-bit base hashes of an ID as eight uint32 halves (high, low) for `hasHashes`. */
export type BloomHashes = Uint32Array

const scratch: BloomHashes = new Uint32Array(8)

/**
 * Base hashes of `id` (spec §3.3): MurmurHash3 x64_128 of the ID, then of the ID followed by 0x01.
 * Compute them once per ID and test many shards with `hasHashes`.
 */
export function bloomHashes(id: Uint8Array, into: BloomHashes = new Uint32Array(8)): BloomHashes {
  murmur3Into(id, into, 0)
  murmur3Into(id, into, 4, 0, 1)
  return into
}

/**
 * Tempo's writer sizing (`common.NewBloom` + `bloom.EstimateParameters`): total bits and hash count for
 * `estimatedItems` at `falsePositive`, split into shards of `8 * shardSizeBytes` bits each.
 */
export function bloomParameters(estimatedItems: number, falsePositive: number, shardSizeBytes: number): { shards: number; m: number; k: number } {
  const n = Math.max(estimatedItems, 0)
  const totalBits = Math.ceil((-n * Math.log(falsePositive)) / (Math.log(2) * Math.log(2)))
  // Go divides by n as a float: n = 0 gives +Inf, which Go converts to a huge uint; clamp to something usable.
  const k = n === 0 ? 1 : Math.ceil((Math.log(2) * totalBits) / n)
  const shards = Math.min(Math.max(Math.ceil(totalBits / (shardSizeBytes * 8)), 1), MAX_SHARDS)
  return { shards, m: Math.max(shardSizeBytes * 8, 1), k: Math.max(k, 1) }
}

/** One bloom shard. */
export class BloomFilter {
  private constructor(
    /** Number of bits the locations are reduced modulo. */
    readonly m: number,
    /** Number of hash locations per item. */
    readonly k: number,
    /** Bitset length in bits (equals `m` in every file Tempo writes). */
    private readonly length: number,
    /** The words exactly as serialised (big-endian uint64s). */
    private readonly words: Uint8Array,
  ) {}

  /**
   * Parse a serialised shard (the filter keeps a view of `bytes`); throws `InvalidBloomFilterError`, or
   * `CorruptBlockError` when `source` is given.
   */
  static parse(bytes: Uint8Array, source?: BloomSource): BloomFilter {
    try {
      return BloomFilter.parseUnchecked(bytes)
    } catch (error) {
      if (source && error instanceof InvalidBloomFilterError) {
        throw new CorruptBlockError(source.tenant, source.blockId, `bloom-${source.shard}: ${error.message.replace(/^bloom: /, '')}`, { cause: error })
      }
      throw error
    }
  }

  /** An empty shard of `m` bits and `k` hashes. */
  static create(m: number, k: number): BloomFilter {
    if (!Number.isInteger(m) || m < 1 || m > MAX_BITS) throw new RangeError(`bloom: invalid bit count ${m}`)
    if (!Number.isInteger(k) || k < 1 || k > MAX_HASHES) throw new RangeError(`bloom: invalid hash count ${k}`)
    return new BloomFilter(m, k, m, new Uint8Array(8 * Math.ceil(m / 64)))
  }

  private static parseUnchecked(bytes: Uint8Array): BloomFilter {
    if (bytes.length < HEADER_BYTES) throw new InvalidBloomFilterError(`bloom: ${bytes.length} bytes is shorter than the 24-byte header`)
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const m = Number(view.getBigUint64(0))
    const k = Number(view.getBigUint64(8))
    const length = Number(view.getBigUint64(16))
    if (m < 1 || m > MAX_BITS) throw new InvalidBloomFilterError(`bloom: implausible bit count m=${m}`)
    if (k < 1 || k > MAX_HASHES) throw new InvalidBloomFilterError(`bloom: implausible hash count k=${k}`)
    if (length > MAX_BITS) throw new InvalidBloomFilterError(`bloom: implausible bitset length ${length}`)
    const expected = HEADER_BYTES + 8 * Math.ceil(length / 64)
    if (bytes.length !== expected) {
      throw new InvalidBloomFilterError(`bloom: ${bytes.length} bytes but the header (length=${length}) needs ${expected}`)
    }
    // A view, not a copy: shards are 100 KiB each and a batch parses one per block it searches.
    return new BloomFilter(m, k, length, bytes.subarray(HEADER_BYTES))
  }

  /** Serialised size in bytes (header and words). */
  get byteLength(): number {
    return HEADER_BYTES + this.words.length
  }

  /** The k bit indexes of `id` (in hash order; may repeat). */
  locations(id: Uint8Array): number[] {
    const hashes = bloomHashes(id, scratch)
    return Array.from({ length: this.k }, (_, i) => this.location(hashes, i))
  }

  /** True when every location of `id` is set (false positives possible, false negatives not). */
  has(id: Uint8Array): boolean {
    return this.hasHashes(bloomHashes(id, scratch))
  }

  /** `has` with base hashes computed once by `bloomHashes` (they depend only on the ID, not the filter). */
  hasHashes(hashes: BloomHashes): boolean {
    for (let i = 0; i < this.k; i++) if (!this.testBit(this.location(hashes, i))) return false
    return true
  }

  /** Set every location of `id`. */
  add(id: Uint8Array): void {
    const hashes = bloomHashes(id, scratch)
    for (let i = 0; i < this.k; i++) {
      const bit = this.location(hashes, i)
      if (bit < this.length) this.words[byteOfBit(bit)]! |= 1 << (bit & 7)
    }
  }

  /** Bit index i: (h[i mod 2] + i * h[2 + ((i + i mod 2) mod 4) / 2]) mod 2^64 mod m (spec §3.3). */
  private location(hashes: BloomHashes, i: number): number {
    const start = 2 * (i % 2)
    const step = 2 * (2 + (((i + (i % 2)) % 4) >> 1))
    // step lane * i (i < 2^16), then + start lane, all mod 2^64, as uint32 halves.
    const productLow = hashes[step + 1]! * i
    const productHigh = Math.imul(hashes[step]!, i) + Math.floor(productLow / 0x100000000)
    const low = hashes[start + 1]! + (productLow >>> 0)
    const high = (hashes[start]! + productHigh + (low > 0xffffffff ? 1 : 0)) >>> 0
    return laneModulo(high, low >>> 0, this.m)
  }

  /** The shard in Tempo's on-disk layout. */
  serialize(): Uint8Array {
    const out = new Uint8Array(HEADER_BYTES + this.words.length)
    const view = new DataView(out.buffer)
    view.setBigUint64(0, BigInt(this.m))
    view.setBigUint64(8, BigInt(this.k))
    view.setBigUint64(16, BigInt(this.length))
    out.set(this.words, HEADER_BYTES)
    return out
  }

  private testBit(bit: number): boolean {
    if (bit >= this.length) return false
    return (this.words[byteOfBit(bit)]! & (1 << (bit & 7))) !== 0
  }
}

/** Byte offset (within the words) of bit `bit`: words are big-endian, bits counted from the LSB. */
function byteOfBit(bit: number): number {
  return 8 * Math.floor(bit / 64) + 7 - ((bit % 64) >> 3)
}

/** Unsigned 64-bit `high:low mod m`. */
function laneModulo(high: number, low: number, m: number): number {
  // Horner over 16-bit limbs keeps every intermediate below 2^53 while m <= 2^37.
  if (m <= 2 ** 37) {
    let r = (high >>> 16) % m
    r = (r * 0x10000 + (high & 0xffff)) % m
    r = (r * 0x10000 + (low >>> 16)) % m
    return (r * 0x10000 + (low & 0xffff)) % m
  }
  return Number((((BigInt(high) << 32n) | BigInt(low)) % BigInt(m)))
}
