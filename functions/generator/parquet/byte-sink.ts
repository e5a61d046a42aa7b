/** A growable byte buffer: the one place the writer appends encoded bytes. */
export class ByteSink {
  private buf: Buffer
  /** Bytes written so far. */
  length = 0

  constructor(initialCapacity = 1024) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialCapacity))
  }

  /** Make room for `extra` more bytes. */
  reserve(extra: number): void {
    const need = this.length + extra
    if (need <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < need) size *= 2
    const next = Buffer.allocUnsafe(size)
    this.buf.copy(next, 0, 0, this.length)
    this.buf = next
  }

  /** Append one byte. */
  byte(value: number): void {
    if (this.length >= this.buf.length) this.reserve(1)
    this.buf[this.length++] = value & 0xff
  }

  /** Append raw bytes. */
  bytes(value: Uint8Array): void {
    this.reserve(value.length)
    this.buf.set(value, this.length)
    this.length += value.length
  }

  /** Append a string as UTF-8; returns its byte length. */
  utf8(value: string): number {
    // Worst case is 3 bytes per UTF-16 code unit.
    this.reserve(value.length * 3)
    const written = this.buf.write(value, this.length, 'utf8')
    this.length += written
    return written
  }

  /** Append an unsigned LEB128 varint (number up to 2^53). */
  varint(value: number): void {
    this.reserve(10)
    while (value >= 0x80) {
      this.buf[this.length++] = (value % 0x80) | 0x80
      value = Math.floor(value / 0x80)
    }
    this.buf[this.length++] = value
  }

  /** Append an unsigned LEB128 varint of a non-negative bigint below 2^64. */
  varintBig(value: bigint): void {
    if (value < 0x20000000000000n) return this.varint(Number(value))
    this.reserve(10)
    while (value >= 0x80n) {
      this.buf[this.length++] = Number(value & 0x7fn) | 0x80
      value >>= 7n
    }
    this.buf[this.length++] = Number(value)
  }

  /** Append a little-endian int32. */
  int32(value: number): void {
    this.reserve(4)
    this.buf.writeInt32LE(value | 0, this.length)
    this.length += 4
  }

  /** Append a little-endian uint32. */
  uint32(value: number): void {
    this.reserve(4)
    this.buf.writeUInt32LE(value >>> 0, this.length)
    this.length += 4
  }

  /** Append a little-endian int64 (wrapped to 64 bits). */
  int64(value: bigint): void {
    this.reserve(8)
    this.buf.writeBigInt64LE(BigInt.asIntN(64, value), this.length)
    this.length += 8
  }

  /** Append a little-endian double. */
  double(value: number): void {
    this.reserve(8)
    this.buf.writeDoubleLE(value, this.length)
    this.length += 8
  }

  /** A view of the written bytes (shares memory until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length)
  }

  /** A copy of the written bytes. */
  toBytes(): Uint8Array {
    return Uint8Array.prototype.slice.call(this.buf, 0, this.length)
  }

  /** Forget the content, keep the memory. */
  clear(): void {
    this.length = 0
  }
}
