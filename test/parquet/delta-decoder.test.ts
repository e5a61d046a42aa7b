import { deltaBinaryUnpack } from 'hyparquet/src/delta.js'
import { describe, expect, it } from 'vitest'
import { DeltaDecoder } from '../../functions/core/parquet/delta-decoder.js'
import { ByteSink } from '../../functions/generator/parquet/byte-sink.js'
import { writeDeltaInt32, writeDeltaInt64 } from '../../functions/generator/parquet/delta.js'
import { Prng } from '../../functions/generator/synth/prng.js'

/**
 * DELTA_BINARY_PACKED on 32-bit halves against hyparquet's BigInt decoder: 64-bit wrap-around, bit widths
 * past 32, a partial last block, the end of the section found without decoding, and starting over.
 */

function int64Values(rng: Prng, count: number, kind: 'timestamps' | 'extremes' | 'small'): BigInt64Array {
  const out = new BigInt64Array(count)
  let t = 1_736_935_200_000_000_000n
  for (let i = 0; i < count; i++) {
    if (kind === 'timestamps') t += BigInt(rng.int(1_000_000_000))
    else if (kind === 'small') t = BigInt(rng.int(1000) - 500)
    else t = BigInt.asIntN(64, rng.bigint(64))
    out[i] = t
  }
  return out
}

function decodeAll(bytes: Uint8Array, int64: boolean): bigint[] {
  const decoder = new DeltaDecoder(bytes, 0)
  const out: bigint[] = []
  for (let i = 0; i < decoder.count; i++) {
    decoder.next()
    out.push(int64 ? BigInt.asIntN(64, (BigInt(decoder.hi) << 32n) | BigInt(decoder.lo >>> 0)) : BigInt(decoder.lo))
  }
  return out
}

function hyparquet(bytes: Uint8Array, count: number, int64: boolean): { values: bigint[]; end: number } {
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 }
  const out = int64 ? new BigInt64Array(count) : new Int32Array(count)
  deltaBinaryUnpack(reader, count, out)
  return { values: Array.from(out as ArrayLike<number | bigint>, (v) => BigInt(v)), end: reader.offset }
}

describe('DeltaDecoder', () => {
  for (const kind of ['timestamps', 'extremes', 'small'] as const) {
    for (const count of [1, 2, 33, 128, 129, 1000]) {
      it(`INT64 ${kind}, ${count} values: equals hyparquet, and sectionEnd is where hyparquet stops`, () => {
        const values = int64Values(new Prng(count), count, kind)
        const sink = new ByteSink()
        writeDeltaInt64(sink, values, count)
        sink.bytes(Uint8Array.from([0xaa, 0xbb]))
        const bytes = sink.toBytes()
        const reference = hyparquet(bytes, count, true)
        expect(reference.values).toEqual([...values])
        expect(decodeAll(bytes, true)).toEqual(reference.values)
        expect(new DeltaDecoder(bytes, 0).sectionEnd()).toBe(reference.end)
      })
    }
  }

  for (const kind of ['timestamps', 'extremes'] as const) {
    it(`INT64 ${kind}: skip lands on the value decoding one by one reaches`, () => {
      const rng = new Prng(21)
      const values = int64Values(rng, 3000, kind)
      const sink = new ByteSink()
      writeDeltaInt64(sink, values, values.length)
      const decoder = new DeltaDecoder(sink.toBytes(), 0)
      let at = 0
      while (at < values.length) {
        const n = Math.min(values.length - at, rng.int(rng.chance(0.5) ? 5 : 300))
        decoder.skip(n)
        at += n
        if (at === values.length) break
        decoder.next()
        expect(BigInt.asIntN(64, (BigInt(decoder.hi) << 32n) | BigInt(decoder.lo >>> 0)), `value ${at}`).toBe(values[at])
        at++
      }
    })
  }

  it('skipSum32 returns the sum of the INT32 values it passes (DELTA_LENGTH_BYTE_ARRAY lengths)', () => {
    const rng = new Prng(33)
    const lengths = Int32Array.from({ length: 2500 }, () => (rng.chance(0.1) ? rng.int(100_000) : rng.int(40)))
    const sink = new ByteSink()
    writeDeltaInt32(sink, lengths, lengths.length)
    const decoder = new DeltaDecoder(sink.toBytes(), 0)
    let at = 0
    while (at < lengths.length) {
      const n = Math.min(lengths.length - at, rng.int(200))
      let expected = 0
      for (let i = at; i < at + n; i++) expected += lengths[i]!
      expect(decoder.skipSum32(n), `values [${at}, ${at + n})`).toBe(expected)
      at += n
      if (at < lengths.length) {
        decoder.next()
        expect(decoder.lo).toBe(lengths[at])
        at++
      }
    }
    expect(() => decoder.skip(1)).toThrow(/holds 2500 values/)
  })

  it('INT32 wraps at 2^32 as parquet requires', () => {
    const rng = new Prng(5)
    const values = Int32Array.from({ length: 700 }, () => rng.uint32() | 0)
    const sink = new ByteSink()
    writeDeltaInt32(sink, values, values.length)
    const bytes = sink.toBytes()
    expect(decodeAll(bytes, false)).toEqual(hyparquet(bytes, values.length, false).values)
    expect(decodeAll(bytes, false)).toEqual(Array.from(values, (v) => BigInt(v)))
  })

  it('INT32 keeps the low 32 bits of a first value written as a 64-bit zigzag (DuckDB, UINTEGER 4294967295)', () => {
    // Header: 128 values per block, 4 miniblocks, 1 value; first value zigzag(4294967295) = 8589934590.
    const sink = new ByteSink()
    for (const v of [128, 4, 1]) sink.varint(v)
    sink.varintBig(8589934590n)
    const decoder = new DeltaDecoder(sink.toBytes(), 0)
    decoder.next()
    expect(decoder.lo >>> 0).toBe(4294967295)
  })

  it('reset starts over; reading past the count throws', () => {
    const values = int64Values(new Prng(9), 300, 'timestamps')
    const sink = new ByteSink()
    writeDeltaInt64(sink, values, values.length)
    const decoder = new DeltaDecoder(sink.toBytes(), 0)
    for (let i = 0; i < 200; i++) decoder.next()
    decoder.reset()
    decoder.next()
    expect(BigInt.asIntN(64, (BigInt(decoder.hi) << 32n) | BigInt(decoder.lo >>> 0))).toBe(values[0])
    for (let i = 1; i < 300; i++) decoder.next()
    expect(() => decoder.next()).toThrow(/holds 300 values/)
  })
})
