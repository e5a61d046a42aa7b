import { ByteSink } from './byte-sink.js'
import { packBits } from './rle-hybrid.js'

/**
 * DELTA_BINARY_PACKED (blocks of 128 values, 4 miniblocks of 32, as parquet-go writes) for INT32 and
 * INT64, and DELTA_LENGTH_BYTE_ARRAY built on it.
 */

const BLOCK = 128
const MINIBLOCKS = 4
const PER_MINI = BLOCK / MINIBLOCKS

/** Encode int32 values (32-bit wrapping deltas). */
export function writeDeltaInt32(out: ByteSink, values: ArrayLike<number>, count: number): void {
  out.varint(BLOCK)
  out.varint(MINIBLOCKS)
  out.varint(count)
  out.varint(zigzag32(count > 0 ? values[0]! | 0 : 0))
  const deltas = new Int32Array(BLOCK)
  const adjusted = new Uint32Array(PER_MINI)
  for (let start = 1; start < count; start += BLOCK) {
    const n = Math.min(BLOCK, count - start)
    let min = 0x7fffffff
    for (let i = 0; i < n; i++) {
      const d = ((values[start + i]! | 0) - (values[start + i - 1]! | 0)) | 0
      deltas[i] = d
      if (d < min) min = d
    }
    out.varint(zigzag32(min))
    const widths = new Uint8Array(MINIBLOCKS)
    for (let m = 0; m < MINIBLOCKS; m++) {
      let maxAdj = 0
      const end = Math.min(n, (m + 1) * PER_MINI)
      for (let i = m * PER_MINI; i < end; i++) maxAdj = Math.max(maxAdj, ((deltas[i]! - min) | 0) >>> 0)
      widths[m] = maxAdj === 0 ? 0 : 32 - Math.clz32(maxAdj)
    }
    out.bytes(widths)
    for (let m = 0; m < MINIBLOCKS && m * PER_MINI < n; m++) {
      adjusted.fill(0)
      const end = Math.min(n, (m + 1) * PER_MINI)
      for (let i = m * PER_MINI; i < end; i++) adjusted[i - m * PER_MINI] = ((deltas[i]! - min) | 0) >>> 0
      packBits(out, adjusted, PER_MINI, widths[m]!)
    }
  }
}

/** Encode int64 values given as bigint (64-bit wrapping deltas). */
export function writeDeltaInt64(out: ByteSink, values: ArrayLike<bigint>, count: number): void {
  out.varint(BLOCK)
  out.varint(MINIBLOCKS)
  out.varint(count)
  out.varintBig(zigzag64(count > 0 ? values[0]! : 0n))
  const deltas: bigint[] = new Array<bigint>(BLOCK)
  const lo = new Uint32Array(PER_MINI)
  const hi = new Uint32Array(PER_MINI)
  for (let start = 1; start < count; start += BLOCK) {
    const n = Math.min(BLOCK, count - start)
    let min = 0x7fffffffffffffffn
    for (let i = 0; i < n; i++) {
      const d = BigInt.asIntN(64, values[start + i]! - values[start + i - 1]!)
      deltas[i] = d
      if (d < min) min = d
    }
    out.varintBig(zigzag64(min))
    const widths = new Uint8Array(MINIBLOCKS)
    const adjustedAll: bigint[] = new Array<bigint>(n)
    for (let m = 0; m < MINIBLOCKS; m++) {
      let maxAdj = 0n
      const end = Math.min(n, (m + 1) * PER_MINI)
      for (let i = m * PER_MINI; i < end; i++) {
        const a = BigInt.asUintN(64, deltas[i]! - min)
        adjustedAll[i] = a
        if (a > maxAdj) maxAdj = a
      }
      widths[m] = maxAdj === 0n ? 0 : maxAdj.toString(2).length
    }
    out.bytes(widths)
    for (let m = 0; m < MINIBLOCKS && m * PER_MINI < n; m++) {
      const width = widths[m]!
      lo.fill(0)
      hi.fill(0)
      const end = Math.min(n, (m + 1) * PER_MINI)
      for (let i = m * PER_MINI; i < end; i++) {
        const a = adjustedAll[i]!
        lo[i - m * PER_MINI] = Number(a & 0xffffffffn)
        hi[i - m * PER_MINI] = Number(a >> 32n)
      }
      packWide(out, lo, hi, width)
    }
  }
}

/** Bit-pack 32 values of up to 64 bits given as low/high halves. */
function packWide(out: ByteSink, lo: Uint32Array, hi: Uint32Array, width: number): void {
  if (width <= 32) return packBits(out, lo, PER_MINI, width)
  // Interleave per value: low 32 bits then the high (width-32) bits, LSB first overall.
  let acc = 0
  let accBits = 0
  const put = (value: number, bits: number): void => {
    let v = value >>> 0
    while (bits > 0) {
      const take = Math.min(8 - accBits, bits)
      acc |= (v & ((1 << take) - 1)) << accBits
      accBits += take
      bits -= take
      v = v >>> take
      if (accBits === 8) {
        out.byte(acc)
        acc = 0
        accBits = 0
      }
    }
  }
  for (let i = 0; i < PER_MINI; i++) {
    put(lo[i]!, 32)
    put(hi[i]!, width - 32)
  }
  if (accBits > 0) out.byte(acc)
}

/** Encode byte-array values: delta-packed lengths, then the concatenated bytes. */
export function writeDeltaLengthByteArray(out: ByteSink, lengths: ArrayLike<number>, count: number, data: Uint8Array): void {
  writeDeltaInt32(out, lengths, count)
  out.bytes(data)
}

function zigzag32(value: number): number {
  return ((value << 1) ^ (value >> 31)) >>> 0
}

function zigzag64(value: bigint): bigint {
  const v = BigInt.asIntN(64, value)
  return BigInt.asUintN(64, (v << 1n) ^ (v >> 63n))
}
