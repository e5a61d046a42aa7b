import { CorruptBlockError, TempoBatchError } from '../errors.js'
import { fnv1_32 } from './fnv.js'
import { laneToBigInt, murmur3Lanes, type Lane } from './murmur3.js'

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

  /** Parse a serialised shard; throws `InvalidBloomFilterError`, or `CorruptBlockError` when `source` is given. */
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
    return new BloomFilter(m, k, length, bytes.slice(HEADER_BYTES))
  }

  /** The k bit indexes of `id` (in hash order; may repeat). */
  locations(id: Uint8Array): number[] {
    const [h1, h2] = murmur3Lanes(id)
    const withOne = new Uint8Array(id.length + 1)
    withOne.set(id)
    withOne[id.length] = 1
    const [h3, h4] = murmur3Lanes(withOne)
    const base: [Lane, Lane, Lane, Lane] = [h1, h2, h3, h4]
    const out: number[] = new Array<number>(this.k)
    for (let i = 0; i < this.k; i++) {
      const start = base[i % 2]!
      const step = base[2 + (((i + (i % 2)) % 4) >> 1)]!
      out[i] = laneModulo(addLanes(start, multiplyLaneBySmall(step, i)), this.m)
    }
    return out
  }

  /** True when every location of `id` is set (false positives possible, false negatives not). */
  has(id: Uint8Array): boolean {
    for (const bit of this.locations(id)) if (!this.testBit(bit)) return false
    return true
  }

  /** Set every location of `id`. */
  add(id: Uint8Array): void {
    for (const bit of this.locations(id)) {
      if (bit >= this.length) continue
      this.words[byteOfBit(bit)]! |= 1 << (bit & 7)
    }
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

function addLanes(a: Lane, b: Lane): Lane {
  const low = a[1] + b[1]
  return [(a[0] + b[0] + (low > 0xffffffff ? 1 : 0)) >>> 0, low >>> 0]
}

/** lane * small mod 2^64 for 0 <= small < 2^16. */
function multiplyLaneBySmall(lane: Lane, small: number): Lane {
  const low = lane[1] * small
  const carry = Math.floor(low / 0x100000000)
  return [(Math.imul(lane[0], small) + carry) >>> 0, low >>> 0]
}

/** Unsigned 64-bit `lane mod m`. */
function laneModulo(lane: Lane, m: number): number {
  // Horner over 16-bit limbs keeps every intermediate below 2^53 while m <= 2^37.
  if (m <= 2 ** 37) {
    let r = (lane[0] >>> 16) % m
    r = (r * 0x10000 + (lane[0] & 0xffff)) % m
    r = (r * 0x10000 + (lane[1] >>> 16)) % m
    return (r * 0x10000 + (lane[1] & 0xffff)) % m
  }
  return Number(laneToBigInt(lane) % BigInt(m))
}
