/**
 * DELTA_BINARY_PACKED, decoded one value at a time from where the previous call stopped, with 64-bit
 * arithmetic on two 32-bit halves: no BigInt (and so no garbage) per value, and values before the wanted
 * ones are summed, never stored. INT32 columns read `lo` alone (their arithmetic wraps at 2^32).
 */
export class DeltaDecoder {
  /** The current value: low and high 32 bits (two's complement). */
  lo = 0
  hi = 0
  /** Values in the section (the header's count). */
  readonly count: number
  private readonly blockSize: number
  private readonly miniblocks: number
  private readonly perMiniblock: number
  private readonly firstLo: number
  private readonly firstHi: number
  private readonly firstBlock: number
  /** Values produced so far. */
  private produced = 0
  private pos = 0
  private minLo = 0
  private minHi = 0
  /** Byte offset of the current block's bit widths. */
  private widths = 0
  private miniblock = 0
  private width = 0
  /** Values left in the current miniblock. */
  private leftInMiniblock = 0
  /** Bit offset (from `bytes[0]`) of the next packed delta. */
  private bit = 0
  /** Byte offset where the current miniblock ends (its padded size). */
  private miniblockEnd = 0

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
  ) {
    this.pos = start
    this.blockSize = this.varint()
    this.miniblocks = this.varint()
    this.count = this.varint()
    this.perMiniblock = this.blockSize / this.miniblocks
    if (this.miniblocks === 0 || !Number.isInteger(this.perMiniblock) || this.perMiniblock % 8 !== 0) {
      throw new Error(`parquet delta block of ${this.blockSize} values in ${this.miniblocks} miniblocks is invalid`)
    }
    this.zigzag()
    this.firstLo = this.minLo
    this.firstHi = this.minHi
    this.firstBlock = this.pos
    this.miniblockEnd = this.pos
  }

  /** Back to before the first value. */
  reset(): void {
    this.produced = 0
    this.pos = this.firstBlock
    this.leftInMiniblock = 0
    this.miniblock = this.miniblocks
    this.miniblockEnd = this.firstBlock
  }

  /** Move to the next value (`lo`/`hi`). */
  next(): void {
    if (this.produced >= this.count) throw new Error(`parquet delta data holds ${this.count} values, more were asked for`)
    if (this.produced++ === 0) {
      this.lo = this.firstLo
      this.hi = this.firstHi
      this.miniblock = this.miniblocks
      return
    }
    if (this.leftInMiniblock === 0) this.nextMiniblock()
    this.leftInMiniblock--
    // value += minDelta + packed delta, modulo 2^64.
    let lo = (this.lo >>> 0) + (this.minLo >>> 0)
    let hi = this.hi + this.minHi + (lo > 0xffffffff ? 1 : 0)
    const width = this.width
    if (width > 0) {
      const packedLo = this.bits(this.bit, width < 32 ? width : 32)
      lo = (lo >>> 0) + (packedLo >>> 0)
      hi = hi + (lo > 0xffffffff ? 1 : 0) + (width > 32 ? this.bits(this.bit + 32, width - 32) : 0)
      this.bit += width
    }
    this.lo = lo | 0
    this.hi = hi | 0
  }

  /**
   * Pass `count` values, leaving the last one passed in `lo`/`hi`: whole runs of a miniblock at once,
   * their packed deltas summed in a double (exact: at most 2^13 values of up to 32 bits) and added to
   * the 64-bit value once, rather than value by value with carries.
   */
  skip(count: number): void {
    if (this.produced + count > this.count) throw new Error(`parquet delta data holds ${this.count} values, more were asked for`)
    if (count > 0 && this.produced === 0) {
      this.next()
      count--
    }
    while (count > 0) {
      if (this.leftInMiniblock === 0) this.nextMiniblock()
      const n = count < this.leftInMiniblock ? count : this.leftInMiniblock
      const width = this.width
      let bit = this.bit
      let sumLo = 0
      let sumHi = 0
      if (width > 32) {
        for (let k = 0; k < n; k++, bit += width) {
          sumLo += this.bits(bit, 32)
          sumHi += this.bits(bit + 32, width - 32)
        }
      } else if (width > 0) {
        for (let k = 0; k < n; k++, bit += width) sumLo += this.bits(bit, width)
      }
      // value += n * minDelta + sum of the packed deltas, modulo 2^64 (each product exact below 2^53).
      const minLow = (this.minLo >>> 0) * n
      const low = (this.lo >>> 0) + (minLow % TWO_32) + (sumLo % TWO_32)
      this.hi = (this.hi + Math.imul(this.minHi, n) + Math.floor(minLow / TWO_32) + Math.floor(sumLo / TWO_32) + sumHi + Math.floor(low / TWO_32)) | 0
      this.lo = low % TWO_32 | 0
      this.bit = bit
      this.leftInMiniblock -= n
      this.produced += n
      count -= n
    }
  }

  /**
   * INT32 columns (DELTA_LENGTH_BYTE_ARRAY lengths): pass `count` values and return their sum, with
   * 32-bit wrapping arithmetic and no 64-bit carries.
   */
  skipSum32(count: number): number {
    if (this.produced + count > this.count) throw new Error(`parquet delta data holds ${this.count} values, more were asked for`)
    let sum = 0
    if (count > 0 && this.produced === 0) {
      this.next()
      sum += this.lo
      count--
    }
    while (count > 0) {
      if (this.leftInMiniblock === 0) this.nextMiniblock()
      const n = count < this.leftInMiniblock ? count : this.leftInMiniblock
      const { width, minLo } = this
      let value = this.lo
      let bit = this.bit
      for (let k = 0; k < n; k++, bit += width) {
        value = (value + minLo + (width > 0 ? this.bits(bit, width < 32 ? width : 32) : 0)) | 0
        sum += value
      }
      this.lo = value
      this.hi = value < 0 ? -1 : 0
      this.bit = bit
      this.leftInMiniblock -= n
      this.produced += n
      count -= n
    }
    return sum
  }

  /**
   * Byte offset just past the section, found by walking the block headers without decoding a value (the
   * bytes of DELTA_LENGTH_BYTE_ARRAY follow its lengths).
   */
  sectionEnd(): number {
    const bytes = this.bytes
    let pos = this.firstBlock
    let left = this.count - 1
    while (left > 0) {
      pos = skipVarint(bytes, pos)
      const widths = pos
      pos += this.miniblocks
      for (let m = 0; m < this.miniblocks && left > 0; m++) {
        pos += (this.perMiniblock * bytes[widths + m]!) / 8
        left -= this.perMiniblock
      }
    }
    if (pos > bytes.length) throw new Error('parquet delta data is truncated')
    return pos
  }

  private nextMiniblock(): void {
    if (this.miniblock >= this.miniblocks) {
      // A new block (after the previous one's last miniblock): its minimum delta, then one bit width per miniblock.
      this.pos = this.miniblockEnd
      this.zigzag()
      this.widths = this.pos
      this.pos += this.miniblocks
      this.miniblock = 0
      this.miniblockEnd = this.pos
    }
    if (this.widths + this.miniblock >= this.bytes.length) throw new Error('parquet delta data is truncated')
    this.width = this.bytes[this.widths + this.miniblock++]!
    if (this.width > 64) throw new Error(`parquet delta bit width ${this.width} is out of range`)
    this.bit = this.miniblockEnd * 8
    this.miniblockEnd += (this.perMiniblock * this.width) / 8
    this.leftInMiniblock = this.perMiniblock
  }

  /** Up to 32 bits at bit offset `bit`, unsigned in a number (bits past the data read as 0). */
  private bits(bit: number, width: number): number {
    const bytes = this.bytes
    const length = bytes.length
    let i = bit >>> 3
    const shift = bit & 7
    let v = i < length ? bytes[i]! >>> shift : 0
    let got = 8 - shift
    while (got < width) {
      i++
      if (i < length) v |= bytes[i]! << got
      got += 8
    }
    return width === 32 ? v >>> 0 : (v & ((1 << width) - 1)) >>> 0
  }

  private varint(): number {
    let result = 0
    let shift = 0
    let byte: number
    do {
      if (this.pos >= this.bytes.length) throw new Error('parquet delta header is truncated')
      byte = this.bytes[this.pos++]!
      result += (byte & 0x7f) * 2 ** shift
      shift += 7
    } while (byte & 0x80)
    return result
  }

  /** A zigzag varint of up to 64 bits into `minLo`/`minHi`. */
  private zigzag(): void {
    const bytes = this.bytes
    let lo = 0
    let hi = 0
    let shift = 0
    let byte: number
    do {
      if (this.pos >= bytes.length) throw new Error('parquet delta data is truncated')
      byte = bytes[this.pos++]!
      const bits = byte & 0x7f
      if (shift < 28) lo |= bits << shift
      else if (shift === 28) {
        lo |= bits << 28
        hi |= bits >>> 4
      } else if (shift < 64) hi |= bits << (shift - 32)
      shift += 7
    } while (byte & 0x80)
    // (n >>> 1) ^ -(n & 1) on 64 bits.
    const negative = lo & 1
    const outLo = (lo >>> 1) | (hi << 31)
    const outHi = hi >>> 1
    this.minLo = negative ? ~outLo : outLo | 0
    this.minHi = negative ? ~outHi : outHi | 0
  }
}

const TWO_32 = 2 ** 32

function skipVarint(bytes: Uint8Array, pos: number): number {
  while (pos < bytes.length && bytes[pos]! & 0x80) pos++
  return pos + 1
}
