import { compareBytes } from '../../core/contract/trace-id.js'
import { ByteSink } from './byte-sink.js'
import { compareUtf8 } from './compare.js'
import { packBits } from './rle-hybrid.js'
import type { LeafColumn } from './schema.js'

/** Value-level helpers of the column writer: PLAIN values, statistic bytes, level histograms. */

/** A statistic value as the column writer tracks it. */
export type Stat = number | bigint | string | Uint8Array

const textEncoder = new TextEncoder()

/** Statistics order: UTF-8 byte order for strings, unsigned bytes for byte arrays, numeric otherwise. */
export function statLess(a: Stat, b: Stat): boolean {
  if (typeof a === 'string') return compareUtf8(a, b as string) < 0
  if (a instanceof Uint8Array) return compareBytes(a, b as Uint8Array) < 0
  return a < (b as number | bigint)
}

/** Count how often each level 0..max occurs in `levels[0..count)`. */
export function histogram(levels: Uint8Array, count: number, max: number): number[] {
  const out = new Array<number>(max + 1).fill(0)
  for (let i = 0; i < count; i++) out[levels[i]!]!++
  return out
}

/** Add a page histogram into the chunk total (created on first use). */
export function addHistogram(total: number[] | undefined, page: number[]): number[] {
  if (!total) return [...page]
  for (let i = 0; i < page.length; i++) total[i]! += page[i]!
  return total
}

/** Overwrite a little-endian uint32 already written at `at`. */
export function writeU32At(sink: ByteSink, at: number, value: number): void {
  const view = sink.view()
  view[at] = value & 0xff
  view[at + 1] = (value >>> 8) & 0xff
  view[at + 2] = (value >>> 16) & 0xff
  view[at + 3] = (value >>> 24) & 0xff
}

/** PLAIN-encode `count` fixed-size values. */
export function writePlain(out: ByteSink, type: LeafColumn['type'], nums: Float64Array, bigs: BigInt64Array, count: number): void {
  switch (type) {
    case 'BOOLEAN':
      packBits(out, nums, count, 1)
      return
    case 'INT32':
      for (let i = 0; i < count; i++) out.int32(nums[i]!)
      return
    case 'INT64':
      for (let i = 0; i < count; i++) out.int64(bigs[i]!)
      return
    case 'DOUBLE':
      for (let i = 0; i < count; i++) out.double(nums[i]!)
      return
    default:
      throw new Error(`parquet writer: no plain encoder for ${type}`)
  }
}

/** PLAIN bytes of one statistic value. */
export function statBytes(type: LeafColumn['type'], value: Stat): Uint8Array {
  const out = new ByteSink(16)
  switch (type) {
    case 'BYTE_ARRAY':
      return typeof value === 'string' ? textEncoder.encode(value) : (value as Uint8Array).slice()
    case 'INT64':
      out.int64(value as bigint)
      break
    case 'INT32':
      out.int32(value as number)
      break
    case 'DOUBLE':
      out.double(value as number)
      break
    case 'BOOLEAN':
      out.byte(value as number)
      break
  }
  return out.toBytes()
}
