import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BloomFilter, InvalidBloomFilterError, bloomHashes, bloomParameters, bloomShardOf } from '../../functions/core/bloom/bloom-filter.js'
import { fnv1_32, fnv1_64 } from '../../functions/core/bloom/fnv.js'
import { murmur3Into, murmur3_x64_128 } from '../../functions/core/bloom/murmur3.js'
import { CorruptBlockError } from '../../functions/core/contract/errors.js'
import { parseTraceId } from '../../functions/core/contract/trace-id.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoBlocksDir } from '../support/shared-fixtures.js'

const utf8 = (s: string) => new TextEncoder().encode(s)
const smallId = (last: number) => {
  const id = new Uint8Array(16)
  id[15] = last
  return id
}

// Spec §3.4: IDs 00..01 .. 00..0a with FNV-1_32, shard (S=3) and bit positions (m=160, k=7).
const VECTORS: [number, number, number, number[]][] = [
  [0x01, 0x69691904, 2, [4, 96, 34, 149, 84, 124, 62]],
  [0x02, 0x69691907, 2, [111, 63, 133, 85, 91, 43, 49]],
  [0x03, 0x69691906, 1, [116, 47, 62, 95, 48, 99, 18]],
  [0x04, 0x69691901, 2, [132, 69, 142, 8, 100, 89, 2]],
  [0x05, 0x69691900, 1, [33, 102, 93, 45, 61, 30, 21]],
  [0x06, 0x69691903, 1, [139, 123, 35, 94, 95, 75, 147]],
  [0x07, 0x69691902, 0, [105, 33, 155, 20, 153, 133, 95]],
  [0x08, 0x6969190d, 2, [129, 109, 49, 101, 97, 77, 17]],
  [0x09, 0x6969190c, 1, [30, 35, 72, 145, 2, 23, 124]],
  [0x0a, 0x6969190f, 1, [155, 25, 41, 37, 31, 117, 37]],
]

/** Straightforward BigInt FNV-1 64 to cross-check the split-uint32 implementation. */
function referenceFnv1_64(data: Uint8Array): bigint {
  let h = 0xcbf29ce484222325n
  for (const b of data) h = ((h * 0x100000001b3n) & 0xffffffffffffffffn) ^ BigInt(b)
  return h
}

describe('fnv', () => {
  it('computes FNV-1 32 (not FNV-1a) as in the spec', () => {
    for (const [last, fnv] of VECTORS) expect(fnv1_32(smallId(last))).toBe(fnv)
    expect(fnv1_32(parseTraceId('000000000000000000474be8b43449fb'))).toBe(0x78a52baf)
    expect(fnv1_32(new Uint8Array())).toBe(0x811c9dc5)
  })

  it('computes FNV-1 64 with the standard vectors and agrees with a BigInt reference', () => {
    expect(fnv1_64(new Uint8Array())).toBe(0xcbf29ce484222325n)
    expect(fnv1_64(utf8('a'))).toBe(0xaf63bd4c8601b7ben)
    let seed = 7
    for (let len = 0; len < 80; len++) {
      const data = new Uint8Array(len)
      for (let i = 0; i < len; i++) data[i] = seed = (seed * 1103515245 + 12345) & 0xff
      expect(fnv1_64(data)).toBe(referenceFnv1_64(data))
    }
  })
})

const MASK = 0xffffffffffffffffn
const rotl64 = (x: bigint, r: bigint) => ((x << r) | (x >> (64n - r))) & MASK
const fmix64 = (k: bigint) => {
  k ^= k >> 33n
  k = (k * 0xff51afd7ed558ccdn) & MASK
  k ^= k >> 33n
  k = (k * 0xc4ceb9fe1a85ec53n) & MASK
  return k ^ (k >> 33n)
}

/** Textbook BigInt MurmurHash3 x64_128, to cross-check the uint32-pair implementation. */
function referenceMurmur(data: Uint8Array, seed = 0n): [bigint, bigint] {
  const c1 = 0x87c37b91114253d5n
  const c2 = 0x4cf5ad432745937fn
  const le = (o: number, n: number) => {
    let v = 0n
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(data[o + i]!)
    return v
  }
  let h1 = seed
  let h2 = seed
  const blocks = Math.floor(data.length / 16)
  for (let b = 0; b < blocks; b++) {
    const k1 = (rotl64((le(b * 16, 8) * c1) & MASK, 31n) * c2) & MASK
    h1 = (((rotl64(h1 ^ k1, 27n) + h2) * 5n + 0x52dce729n) & MASK)
    const k2 = (rotl64((le(b * 16 + 8, 8) * c2) & MASK, 33n) * c1) & MASK
    h2 = (((rotl64(h2 ^ k2, 31n) + h1) * 5n + 0x38495ab5n) & MASK)
  }
  const rest = data.length % 16
  const tail = blocks * 16
  if (rest > 8) h2 ^= (rotl64((le(tail + 8, rest - 8) * c2) & MASK, 33n) * c1) & MASK
  if (rest > 0) h1 ^= (rotl64((le(tail, Math.min(rest, 8)) * c1) & MASK, 31n) * c2) & MASK
  h1 ^= BigInt(data.length)
  h2 ^= BigInt(data.length)
  h1 = (h1 + h2) & MASK
  h2 = (h2 + h1) & MASK
  h1 = fmix64(h1)
  h2 = fmix64(h2)
  h1 = (h1 + h2) & MASK
  h2 = (h2 + h1) & MASK
  return [h1, h2]
}

describe('murmur3_x64_128', () => {
  it('agrees with a BigInt reference for every length 0..70, with and without an appended byte', () => {
    let x = 12345
    for (let len = 0; len <= 70; len++) {
      const data = Uint8Array.from({ length: len }, () => (x = (x * 1103515245 + 12345) % 2 ** 31) & 0xff)
      expect(murmur3_x64_128(data), `len ${len}`).toEqual(referenceMurmur(data))
      expect(murmur3_x64_128(data, 7), `len ${len} seed 7`).toEqual(referenceMurmur(data, 7n))
      const appended = new Uint8Array(len + 1)
      appended.set(data)
      appended[len] = 1
      const out = [0, 0, 0, 0]
      murmur3Into(data, out, 0, 0, 1)
      const [h1, h2] = referenceMurmur(appended)
      expect(out, `len ${len} + 0x01`).toEqual([Number(h1 >> 32n), Number(h1 & 0xffffffffn), Number(h2 >> 32n), Number(h2 & 0xffffffffn)])
    }
  })

  it('matches the spec vector', () => {
    expect(murmur3_x64_128(utf8('The quick brown fox jumps over the lazy dog'))).toEqual([0xe34bbc7bbc071b6cn, 0x7a433ca9c49a9347n])
  })

  it('matches the base hashes of the real block vector (data and data||0x01)', () => {
    const id = parseTraceId('000000000000000000474be8b43449fb')
    expect(murmur3_x64_128(id)).toEqual([0xb6e5d708b4c8c3a6n, 0xb3729591db922146n])
    const withOne = new Uint8Array(17)
    withOne.set(id)
    withOne[16] = 1
    expect(murmur3_x64_128(withOne)).toEqual([0x48370e7223f47007n, 0x8d89712de54fc54en])
  })

  it('hashes the empty input with seed 0 to zero (reference behaviour)', () => {
    expect(murmur3_x64_128(new Uint8Array())).toEqual([0n, 0n])
  })
})

describe('bloom filter', () => {
  it('picks shards and bit positions as in spec §3.4', () => {
    const filter = BloomFilter.create(160, 7)
    for (const [last, , shard, bits] of VECTORS) {
      expect(bloomShardOf(smallId(last), 3)).toBe(shard)
      expect(filter.locations(smallId(last))).toEqual(bits)
    }
  })

  it('sizes like Tempo: 50 objects, fp 0.01, 20-byte shards => S=3, m=160, k=7', () => {
    expect(bloomParameters(50, 0.01, 20)).toEqual({ shards: 3, m: 160, k: 7 })
    expect(bloomParameters(10_000_000, 0.01, 100 * 1024)).toEqual({ shards: 118, m: 819200, k: 7 })
    expect(bloomParameters(1e12, 0.01, 100 * 1024).shards).toBe(1000)
    expect(bloomParameters(1, 0.01, 100 * 1024).shards).toBe(1)
  })

  it('tests the same with precomputed base hashes as with the ID', () => {
    const filter = BloomFilter.create(160, 7)
    filter.add(smallId(1))
    for (let last = 0; last < 40; last++) expect(filter.hasHashes(bloomHashes(smallId(last)))).toBe(filter.has(smallId(last)))
    expect(filter.hasHashes(bloomHashes(smallId(1)))).toBe(true)
  })

  it('round-trips create/add/serialize/parse and never loses an added ID', () => {
    const filter = BloomFilter.create(1000, 4)
    const ids = Array.from({ length: 50 }, (_, i) => parseTraceId((i * 7919 + 1).toString(16)))
    for (const id of ids) filter.add(id)
    const parsed = BloomFilter.parse(filter.serialize())
    expect(parsed.m).toBe(1000)
    expect(parsed.k).toBe(4)
    expect(parsed.serialize()).toEqual(filter.serialize())
    for (const id of ids) expect(parsed.has(id)).toBe(true)
    expect(BloomFilter.create(1000, 4).has(ids[0]!)).toBe(false)
  })

  it('rejects bad headers and lengths', () => {
    const good = BloomFilter.create(160, 7).serialize()
    expect(() => BloomFilter.parse(good.subarray(0, 20))).toThrow(InvalidBloomFilterError)
    expect(() => BloomFilter.parse(good.subarray(0, 40))).toThrow(/needs 48/)
    const zeroK = good.slice()
    zeroK[15] = 0
    expect(() => BloomFilter.parse(zeroK)).toThrow(/hash count/)
    expect(() => BloomFilter.parse(good.subarray(0, 40), { tenant: 't', blockId: 'b', shard: 2 })).toThrow(CorruptBlockError)
    expect(() => BloomFilter.parse(good.subarray(0, 40), { tenant: 't', blockId: 'b', shard: 2 })).toThrow('block t/b: bloom-2: 40 bytes')
  })
})

sharedFixturesSkipNote('bloom vectors')
describe.skipIf(!hasSharedFixtures)('bloom fixture vectors', () => {
  it('reproduces tempodb/encoding/common/test-data/bloom-{0,1,2} bit for bit', () => {
    const shards = [0, 1, 2].map(() => BloomFilter.create(160, 7))
    for (const [last] of VECTORS) shards[bloomShardOf(smallId(last), 3)]!.add(smallId(last))
    for (let s = 0; s < 3; s++) {
      const expected = readFileSync(join(tempoBlocksDir, 'bloom-test-vectors/common', `bloom-${s}`))
      expect(Buffer.from(shards[s]!.serialize()).toString('hex')).toBe(expected.toString('hex'))
      const parsed = BloomFilter.parse(new Uint8Array(expected))
      expect([parsed.m, parsed.k]).toEqual([160, 7])
    }
    const words = readFileSync(join(tempoBlocksDir, 'bloom-test-vectors/common/bloom-0')).subarray(24)
    expect(words.toString('hex')).toBe('0000000200100000' + '0000020080000000' + '000000000a000020')
  })

  it('tests the real vParquet4 block vector', () => {
    const bytes = readFileSync(join(tempoBlocksDir, 'vParquet4/single-tenant/b27b0e53-66a0-4505-afd6-434ae3cd4a10/bloom-0'))
    const filter = BloomFilter.parse(new Uint8Array(bytes))
    expect([filter.m, filter.k]).toEqual([819200, 5])
    const id = parseTraceId('000000000000000000474be8b43449fb')
    expect(filter.locations(id)).toEqual([803750, 386708, 380482, 618843, 426946])
    expect(bloomShardOf(id, 10)).toBe(3)
    expect(filter.has(id)).toBe(true)
    expect(filter.has(new Uint8Array(16))).toBe(false)
    expect(filter.has(parseTraceId('5b8efff798038103d269b633813fc60c'))).toBe(false)
  })
})
