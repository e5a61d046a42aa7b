/**
 * The few protobuf wire-format primitives the tenant index needs (proto3, no schema compiler): a reader
 * that skips unknown fields and a writer that emits fields in the order they are written.
 */

/** Protobuf wire types. */
export const WireType = { varint: 0, fixed64: 1, lengthDelimited: 2, startGroup: 3, endGroup: 4, fixed32: 5 } as const

/** The bytes are not valid protobuf for what was expected. */
export class ProtobufError extends Error {
  override name = 'ProtobufError'
}

const textDecoder = new TextDecoder('utf-8', { fatal: true })
const textEncoder = new TextEncoder()

/** Sequential reader over one message's bytes. */
export class ProtoReader {
  private pos = 0

  constructor(private readonly bytes: Uint8Array) {}

  /** True when every byte has been consumed. */
  get done(): boolean {
    return this.pos >= this.bytes.length
  }

  /** Next field tag, split into field number and wire type. */
  readTag(): { field: number; wireType: number } {
    const tag = this.readVarint()
    const field = Math.floor(tag / 8)
    if (field < 1) throw new ProtobufError(`protobuf: invalid field number 0 at byte ${this.pos}`)
    return { field, wireType: tag % 8 }
  }

  /** A varint as an unsigned 64-bit bigint. */
  readVarintBigInt(): bigint {
    let result = 0n
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.bytes.length) throw new ProtobufError('protobuf: truncated varint')
      const byte = this.bytes[this.pos++]!
      result |= BigInt(byte & 0x7f) << shift
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result)
    }
    throw new ProtobufError('protobuf: varint longer than 10 bytes')
  }

  /** A varint that must fit a JS safe integer (uint32 fields, lengths, sizes). */
  readVarint(): number {
    // Fast path: up to 7 bytes (< 2^49) in plain arithmetic; longer ones go through BigInt.
    const start = this.pos
    let result = 0
    let scale = 1
    for (let i = 0; i < 7 && this.pos < this.bytes.length; i++) {
      const byte = this.bytes[this.pos++]!
      result += (byte & 0x7f) * scale
      if ((byte & 0x80) === 0) return result
      scale *= 128
    }
    this.pos = start
    const value = this.readVarintBigInt()
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProtobufError(`protobuf: varint ${value} is too large`)
    return Number(value)
  }

  /** A varint read as a signed int64 (two's complement; negative values take 10 bytes). */
  readInt64(): bigint {
    return BigInt.asIntN(64, this.readVarintBigInt())
  }

  /** A length-delimited field's bytes (a view, not a copy). */
  readBytes(): Uint8Array {
    const length = this.readVarint()
    if (this.pos + length > this.bytes.length) throw new ProtobufError(`protobuf: field of ${length} bytes overruns the message`)
    const out = this.bytes.subarray(this.pos, this.pos + length)
    this.pos += length
    return out
  }

  /** A length-delimited UTF-8 string. */
  readString(): string {
    try {
      return textDecoder.decode(this.readBytes())
    } catch (error) {
      if (error instanceof ProtobufError) throw error
      throw new ProtobufError('protobuf: string field is not valid UTF-8')
    }
  }

  /** Skip a field of `wireType` (unknown fields, legacy fields). */
  skip(wireType: number): void {
    switch (wireType) {
      case WireType.varint:
        this.readVarintBigInt()
        return
      case WireType.fixed64:
        this.advance(8)
        return
      case WireType.lengthDelimited:
        this.readBytes()
        return
      case WireType.fixed32:
        this.advance(4)
        return
      default:
        throw new ProtobufError(`protobuf: unsupported wire type ${wireType}`)
    }
  }

  /** Check a field's wire type before reading it. */
  expect(field: number, wireType: number, expected: number): void {
    if (wireType !== expected) throw new ProtobufError(`protobuf: field ${field} has wire type ${wireType}, expected ${expected}`)
  }

  private advance(n: number): void {
    if (this.pos + n > this.bytes.length) throw new ProtobufError('protobuf: truncated fixed-width field')
    this.pos += n
  }
}

/** Appends fields to a growing buffer. */
export class ProtoWriter {
  private buffer = new Uint8Array(256)
  private length = 0

  /** Raw varint of an unsigned value (negative values are written as 64-bit two's complement). */
  varint(value: number | bigint): this {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
      this.reserve(8)
      let v = value
      while (v >= 0x80) {
        this.buffer[this.length++] = (v % 0x80) | 0x80
        v = Math.floor(v / 0x80)
      }
      this.buffer[this.length++] = v
      return this
    }
    this.reserve(10)
    let v = BigInt.asUintN(64, BigInt(value))
    while (v >= 0x80n) {
      this.buffer[this.length++] = Number(v & 0x7fn) | 0x80
      v >>= 7n
    }
    this.buffer[this.length++] = Number(v)
    return this
  }

  /** Field tag. */
  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType)
  }

  /** Varint field, omitted when zero (proto3 default). */
  varintField(field: number, value: number | bigint): this {
    if (value === 0 || value === 0n) return this
    return this.tag(field, WireType.varint).varint(value)
  }

  /** Length-delimited field, always written. */
  bytesField(field: number, value: Uint8Array): this {
    this.tag(field, WireType.lengthDelimited).varint(value.length)
    this.reserve(value.length)
    this.buffer.set(value, this.length)
    this.length += value.length
    return this
  }

  /** String field, omitted when empty (proto3 default). */
  stringField(field: number, value: string): this {
    if (value === '') return this
    return this.bytesField(field, textEncoder.encode(value))
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length)
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra))
    grown.set(this.buffer.subarray(0, this.length))
    this.buffer = grown
  }
}
