import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js'
import { describe, expect, it } from 'vitest'
import { HybridDecoder } from '../../functions/core/parquet/hybrid-decoder.js'
import { ByteSink } from '../../functions/generator/parquet/byte-sink.js'
import { writeRleHybrid } from '../../functions/generator/parquet/rle-hybrid.js'
import { Prng } from '../../functions/generator/synth/prng.js'

/**
 * The RLE / bit-packed hybrid decoder against hyparquet's and against plain counting: values read in
 * pieces, skipped, and rows and matching values passed (the word-at-a-time paths included), for runs
 * the generator's encoder writes from levels shaped like Tempo's (long runs, short rows, sparse zeros).
 */

/** Levels of `count` entries up to `max`: runs of one value mixed with noise, zeros every so often. */
function levels(rng: Prng, count: number, max: number, zeroEvery: number): Int32Array {
  const out = new Int32Array(count)
  for (let i = 0; i < count; ) {
    const run = rng.chance(0.3) ? 8 + rng.int(80) : 1 + rng.int(12)
    const constant = rng.chance(0.5)
    const value = rng.int(max + 1)
    for (let k = 0; k < run && i < count; k++, i++) out[i] = constant ? value : rng.chance(1 / zeroEvery) ? 0 : 1 + rng.int(max)
  }
  return out
}

function encode(values: Int32Array, width: number): Uint8Array {
  const sink = new ByteSink()
  writeRleHybrid(sink, values, values.length, width)
  return sink.toBytes()
}

/** Entries covering `rows` rows starting at entry `from` (a row starts at a 0), stopping before the next row. */
function entriesOfRows(values: Int32Array, from: number, rows: number): { entries: number; rows: number } {
  let starts = 0
  let e = from
  for (; e < values.length; e++) {
    if (values[e] === 0) {
      if (starts === rows) break
      starts++
    }
  }
  return { entries: e - from, rows: starts }
}

const CASES = [
  { width: 1, max: 1 },
  { width: 2, max: 3 },
  { width: 3, max: 5 },
  { width: 4, max: 11 },
  { width: 5, max: 30 },
  { width: 12, max: 3000 },
  { width: 20, max: 1_000_000 },
]

describe('HybridDecoder', () => {
  for (const { width, max } of CASES) {
    it(`width ${width}: read in pieces equals hyparquet, skip and reset land where they should`, () => {
      const rng = new Prng(width)
      const values = levels(rng, 5000, max, 6)
      const bytes = encode(values, width)
      const reference = new Array<number>(values.length)
      readRleBitPackedHybrid({ view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 }, width, reference, bytes.length)
      expect(reference).toEqual([...values])

      const decoder = new HybridDecoder(bytes, 0, bytes.length, width)
      const out = new Int32Array(values.length)
      for (let at = 0; at < values.length; ) {
        const n = Math.min(values.length - at, 1 + rng.int(70))
        if (rng.chance(0.3)) {
          decoder.skip(n)
        } else {
          decoder.read(out, at, n)
          expect([...out.subarray(at, at + n)]).toEqual([...values.subarray(at, at + n)])
        }
        at += n
      }
      decoder.reset()
      decoder.read(out, 0, 10)
      expect([...out.subarray(0, 10)]).toEqual([...values.subarray(0, 10)])
    })

    it(`width ${width}: passRows and countEqual agree with counting the levels one by one`, () => {
      const rng = new Prng(100 + width)
      const values = levels(rng, 8000, max, 40)
      values[0] = 0
      const bytes = encode(values, width)
      const decoder = new HybridDecoder(bytes, 0, bytes.length, width)
      const twin = new HybridDecoder(bytes, 0, bytes.length, width)
      let at = 0
      while (at < values.length) {
        const rows = 1 + rng.int(rng.chance(0.5) ? 3 : 60)
        const limit = values.length - at
        const expected = entriesOfRows(values, at, rows)
        decoder.mark()
        const passed = decoder.passRows(rows, limit)
        expect({ entries: passed, rows: decoder.rowsPassed }).toEqual(expected)
        // The same entries again from the mark: counting a target passes them too.
        decoder.restore()
        const target = rng.int(max + 1)
        const equal = decoder.countEqual(passed, target)
        let counted = 0
        for (let e = at; e < at + passed; e++) if (values[e] === target) counted++
        expect(equal).toBe(counted)
        twin.skip(passed)
        at += passed
      }
      expect(at).toBe(values.length)
    })
  }

  it('passRows stops at the limit (a page end) with the rows it found', () => {
    const values = Int32Array.from([0, 1, 1, 0, 1, 0, 0, 1, 1, 1])
    const bytes = encode(values, 1)
    const decoder = new HybridDecoder(bytes, 0, bytes.length, 1)
    expect(decoder.passRows(2, 10)).toBe(5)
    expect(decoder.rowsPassed).toBe(2)
    expect(decoder.passRows(5, 5)).toBe(5)
    expect(decoder.rowsPassed).toBe(2)
  })

  it('width 0 (a one-entry dictionary) reads zeros without touching the bytes', () => {
    const decoder = new HybridDecoder(new Uint8Array(0), 0, 0, 0)
    const out = new Int32Array(5).fill(7)
    decoder.read(out, 1, 3)
    expect([...out]).toEqual([7, 0, 0, 0, 7])
    expect(decoder.countEqual(4, 0)).toBe(4)
  })

  it('throws when the runs end before the values asked for', () => {
    const bytes = encode(Int32Array.from([1, 2, 3]), 2)
    const decoder = new HybridDecoder(bytes, 0, bytes.length, 2)
    // A bit-packed run is padded to 8 values; past those the data has no run left.
    expect(() => decoder.read(new Int32Array(20), 0, 20)).toThrow(/ends before its values/)
  })
})
