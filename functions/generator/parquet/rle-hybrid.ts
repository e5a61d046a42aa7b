import { ByteSink } from './byte-sink.js'

/**
 * Parquet's RLE / bit-packed hybrid encoding (levels and dictionary indices): runs of 8 or more equal
 * values become RLE runs, everything else bit-packed groups of 8, LSB first.
 */

/** Bits needed to store `maxValue` (0 for 0). */
export function bitWidth(maxValue: number): number {
  return maxValue === 0 ? 0 : 32 - Math.clz32(maxValue)
}

/** Append the hybrid encoding of `values[0..count)` at `width` bits per value (no length prefix). */
export function writeRleHybrid(out: ByteSink, values: ArrayLike<number>, count: number, width: number): void {
  if (count === 0) return
  // Fast path: one value throughout (typical for the definition levels of always-present fields).
  const first = values[0]!
  let same = true
  for (let i = 1; i < count; i++) {
    if (values[i] !== first) {
      same = false
      break
    }
  }
  if (same) {
    out.varint(count * 2)
    writeRunValue(out, first, width)
    return
  }
  const literal = new Int32Array(Math.min(count, 4096) + 8)
  let literalCount = 0
  const flushLiteral = (final: boolean): void => {
    if (literalCount === 0) return
    const groups = Math.ceil(literalCount / 8)
    if (!final && literalCount % 8 !== 0) throw new Error('parquet writer: rle literal run not a multiple of 8')
    for (let i = literalCount; i < groups * 8; i++) literal[i] = 0
    out.varint(groups * 2 + 1)
    packBits(out, literal, groups * 8, width)
    literalCount = 0
  }
  let i = 0
  while (i < count) {
    const v = values[i]!
    let j = i + 1
    while (j < count && values[j] === v) j++
    let run = j - i
    if (run >= 8) {
      // Fill the pending literal run to a multiple of 8 from this run, so the RLE run can follow it.
      while (literalCount % 8 !== 0 && run > 0) {
        literal[literalCount++] = v
        run--
      }
      flushLiteral(false)
      if (run >= 8) {
        out.varint(run * 2)
        writeRunValue(out, v, width)
      } else {
        for (let k = 0; k < run; k++) literal[literalCount++] = v
      }
    } else {
      for (let k = 0; k < run; k++) {
        literal[literalCount++] = v
        if (literalCount === literal.length - 8 && literalCount % 8 === 0) flushLiteral(false)
      }
    }
    i = j
  }
  flushLiteral(true)
}

function writeRunValue(out: ByteSink, value: number, width: number): void {
  const bytes = Math.ceil(width / 8)
  for (let b = 0; b < bytes; b++) out.byte((value >>> (8 * b)) & 0xff)
}

/** Bit-pack `count` values (each below 2^width, width ≤ 32) LSB first. */
export function packBits(out: ByteSink, values: ArrayLike<number>, count: number, width: number): void {
  if (width === 0) return
  out.reserve(Math.ceil((count * width) / 8) + 8)
  if (width <= 24) {
    // Fast path: the accumulator never holds more than 31 bits.
    const mask = (1 << width) - 1
    let acc = 0
    let bits = 0
    for (let i = 0; i < count; i++) {
      acc |= (values[i]! & mask) << bits
      bits += width
      while (bits >= 8) {
        out.byte(acc & 0xff)
        acc >>>= 8
        bits -= 8
      }
    }
    if (bits > 0) out.byte(acc & 0xff)
    return
  }
  let acc = 0
  let accBits = 0
  for (let i = 0; i < count; i++) {
    let v = values[i]! >>> 0
    let left = width
    while (left > 0) {
      const take = Math.min(8 - accBits, left)
      acc |= (v & ((1 << take) - 1)) << accBits
      accBits += take
      left -= take
      v = v >>> take
      if (accBits === 8) {
        out.byte(acc)
        acc = 0
        accBits = 0
      }
    }
  }
  if (accBits > 0) out.byte(acc)
}
