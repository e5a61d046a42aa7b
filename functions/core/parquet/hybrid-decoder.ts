import { WORDS, nonZeroSlots, popcount } from './packed-words.js'

/**
 * Parquet's RLE / bit-packed hybrid encoding (levels, dictionary indexes, RLE booleans), decoded forward
 * from wherever the previous call stopped: a page is decoded only as far as its wanted rows reach,
 * values skipped inside a run cost nothing, and nothing is allocated per value or per run.
 */
export class HybridDecoder {
  private pos: number
  /** Values left in the current run. */
  private left = 0
  private packed = false
  /** Value of the current RLE run. */
  private value = 0
  /** Bit-packed run: bit offset (from `bytes[0]`) of its next value. */
  private bit = 0
  private readonly mask: number
  private readonly valueBytes: number
  /** Word-at-a-time passing (widths 1-4): values per word, bytes per word, and each value's low bit. */
  private readonly wordValues: number
  private readonly wordBytes: number
  private readonly lowBits: number
  /** Row starts `passRows` went past in its last call. */
  rowsPassed = 0
  /** The position `mark` saved (allocated on first use: most decoders are never marked). */
  private saved: { pos: number; left: number; packed: boolean; value: number; bit: number } | undefined

  /**
   * `bytes[start, end)` holds the runs (no length prefix) of values `width` bits wide (0-32). A
   * bit-packed run may end past `end` (some writers cut the padding of the last one); its bits are then
   * read as far as `bytes` reaches, as hyparquet does.
   */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly start: number,
    private readonly end: number,
    private readonly width: number,
  ) {
    if (width < 0 || width > 32) throw new Error(`parquet RLE/bit-packed width ${width} is out of range`)
    this.pos = start
    this.mask = width === 32 ? -1 : (1 << width) - 1
    this.valueBytes = (width + 7) >> 3
    const word = WORDS[width]
    this.wordValues = word?.values ?? 0
    this.wordBytes = word?.bytes ?? 0
    this.lowBits = word?.lowBits ?? 0
  }

  /** Back to the first value. */
  reset(): void {
    this.pos = this.start
    this.left = 0
  }

  /** Remember the position (one slot), to come back with `restore`. */
  mark(): void {
    const saved = (this.saved ??= { pos: 0, left: 0, packed: false, value: 0, bit: 0 })
    saved.pos = this.pos
    saved.left = this.left
    saved.packed = this.packed
    saved.value = this.value
    saved.bit = this.bit
  }

  /** Back to the position of the last `mark`. */
  restore(): void {
    const saved = this.saved
    if (!saved) throw new Error('parquet RLE/bit-packed decoder restored without a mark')
    this.pos = saved.pos
    this.left = saved.left
    this.packed = saved.packed
    this.value = saved.value
    this.bit = saved.bit
  }

  /**
   * Repetition levels: pass `rows` whole rows (a level of 0 starts a row) and stop before the level
   * starting the next one, or after `limit` levels (the end of the page). Runs of levels are passed
   * whole where they can be; nothing is stored. Returns the levels passed; `rowsPassed` says how many
   * row starts they held (fewer than `rows` only when `limit` cut them short).
   */
  passRows(rows: number, limit: number): number {
    let starts = 0
    let passed = 0
    while (passed < limit) {
      if (this.width === 0) {
        // Every level is 0: each is a row of its own.
        const take = Math.min(rows - starts, limit - passed)
        starts += take
        passed += take
        break
      }
      if (this.left === 0) this.nextRun()
      if (!this.packed) {
        if (this.value === 0) {
          if (starts === rows) break
          const take = Math.min(this.left, limit - passed, rows - starts)
          starts += take
          passed += take
          this.left -= take
        } else {
          const take = Math.min(this.left, limit - passed)
          passed += take
          this.left -= take
        }
        continue
      }
      // A bit-packed run: as many of its values as the page allows, until the row start after `rows`.
      const stop = Math.min(this.left, limit - passed)
      const k = this.passPacked(stop, rows - starts)
      starts += this.rowsPassed
      passed += k
      this.left -= k
      if (k < stop) break
    }
    this.rowsPassed = starts
    return passed
  }

  /** Pass `count` values and return how many of them equal `target` (defined values among definition levels). */
  countEqual(count: number, target: number): number {
    if (this.width === 0) return target === 0 ? count : 0
    let equal = 0
    while (count > 0) {
      if (this.left === 0) this.nextRun()
      const n = count < this.left ? count : this.left
      if (this.packed) {
        equal += this.countPacked(n, target)
      } else if (this.value === target) {
        equal += n
      }
      count -= n
      this.left -= n
    }
    return equal
  }

  /** Decode the next `count` values into `out[at...]`. */
  read(out: Uint8Array | Int32Array, at: number, count: number): void {
    if (this.width === 0) {
      // Width 0 (a one-entry dictionary): every value is 0 and the runs need not be read.
      out.fill(0, at, at + count)
      return
    }
    while (count > 0) {
      if (this.left === 0) this.nextRun()
      const n = count < this.left ? count : this.left
      if (this.packed) this.unpack(out, at, n)
      else out.fill(this.value, at, at + n)
      at += n
      count -= n
      this.left -= n
    }
  }

  /** Pass over the next `count` values without decoding them. */
  skip(count: number): void {
    if (this.width === 0) return
    while (count > 0) {
      if (this.left === 0) this.nextRun()
      const n = count < this.left ? count : this.left
      if (this.packed) this.bit += n * this.width
      count -= n
      this.left -= n
    }
  }

  private nextRun(): void {
    const bytes = this.bytes
    while (this.left === 0) {
      if (this.pos >= this.end) throw new Error('parquet RLE/bit-packed data ends before its values')
      let header = 0
      let shift = 0
      let byte: number
      do {
        byte = bytes[this.pos++]!
        header += (byte & 0x7f) * 2 ** shift
        shift += 7
      } while (byte & 0x80 && shift < 35)
      if (header % 2 === 1) {
        const groups = (header - 1) / 2
        this.packed = true
        this.left = groups * 8
        this.bit = this.pos * 8
        this.pos += groups * this.width
      } else {
        let value = 0
        for (let i = 0; i < this.valueBytes; i++) value |= (bytes[this.pos++] ?? 0) << (i * 8)
        this.packed = false
        this.value = value & this.mask
        this.left = header / 2
      }
    }
  }

  private unpack(out: Uint8Array | Int32Array, at: number, count: number): void {
    const width = this.width
    let bit = this.bit
    for (let k = 0; k < count; k++) {
      out[at + k] = this.at(bit)
      bit += width
    }
    this.bit = bit
  }

  /**
   * Pass up to `count` values of the current bit-packed run, stopping before a zero once `rows` zeros
   * (row starts) are passed; returns the values passed and leaves the zeros passed in `rowsPassed`.
   * Values go one by one up to a byte boundary, then a word at a time (a word holds a whole number of
   * values and ends on a byte) while a word's zeros do not overshoot, then one by one again.
   */
  private passPacked(count: number, rows: number): number {
    const { bytes, width, wordValues, lowBits } = this
    const wordBits = wordValues * width
    const lastWord = bytes.length - this.wordBytes
    let bit = this.bit
    let k = 0
    let zeros = 0
    let done = false
    while (k < count && (bit & 7) !== 0) {
      if (this.at(bit) === 0) {
        if (zeros === rows) {
          done = true
          break
        }
        zeros++
      }
      bit += width
      k++
    }
    if (!done && wordValues > 0) {
      while (count - k >= wordValues) {
        const i = bit >>> 3
        if (i > lastWord) break
        let word = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16)
        if (width !== 3) word |= bytes[i + 3]! << 24
        const wordZeros = wordValues - popcount(nonZeroSlots(word, width) & lowBits)
        if (zeros + wordZeros > rows) break
        zeros += wordZeros
        bit += wordBits
        k += wordValues
      }
    }
    while (!done && k < count) {
      if (this.at(bit) === 0) {
        if (zeros === rows) break
        zeros++
      }
      bit += width
      k++
    }
    this.bit = bit
    this.rowsPassed = zeros
    return k
  }

  /** Pass `count` values of the current bit-packed run; returns how many equal `target`. */
  private countPacked(count: number, target: number): number {
    const { bytes, width, wordValues, lowBits } = this
    const wordBits = wordValues * width
    const lastWord = bytes.length - this.wordBytes
    // `target` in every value slot of a word: XOR leaves zero exactly where a value equals it.
    const targets = Math.imul(target, lowBits)
    let bit = this.bit
    let k = 0
    let equal = 0
    while (k < count && ((bit & 7) !== 0 || wordValues === 0 || count - k < wordValues || bit >>> 3 > lastWord)) {
      if (this.at(bit) === target) equal++
      bit += width
      k++
    }
    while (count - k >= wordValues && wordValues > 0) {
      const i = bit >>> 3
      if (i > lastWord) break
      let word = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16)
      if (width !== 3) word |= bytes[i + 3]! << 24
      equal += wordValues - popcount(nonZeroSlots(word ^ targets, width) & lowBits)
      bit += wordBits
      k += wordValues
    }
    for (; k < count; k++, bit += width) if (this.at(bit) === target) equal++
    this.bit = bit
    return equal
  }

  /** The bit-packed value at bit offset `bit` (bits past the end of `bytes` read as 0). */
  private at(bit: number): number {
    const { bytes, width } = this
    const length = bytes.length
    let i = bit >>> 3
    let got = 8 - (bit & 7)
    let v = i < length ? bytes[i]! >>> (bit & 7) : 0
    while (got < width) {
      i++
      if (i < length) v |= bytes[i]! << got
      got += 8
    }
    return v & this.mask
  }
}

/** Bits needed for values up to `max` (the level widths). */
export function bitWidth(max: number): number {
  return 32 - Math.clz32(max)
}
