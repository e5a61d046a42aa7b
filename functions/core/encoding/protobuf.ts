/**
 * The protobuf wire format, once for the whole core (proto3, no schema compiler): `ProtoReader` reads the
 * trace model (`otlp/protobuf-decode.ts`), vParquet2/3's protobuf blobs (links, event attribute values)
 * and the tenant index; `ProtoWriter` writes the tenant index (the trace encoder writes back to front,
 * see `otlp/protobuf-encode.ts`).
 */
import { TempoBatchError } from '../contract/errors.js'

/** Protobuf wire types. */
export const WireType = { varint: 0, fixed64: 1, lengthDelimited: 2, startGroup: 3, endGroup: 4, fixed32: 5 } as const

/** Bytes that are not a valid protobuf encoding of the expected message. */
export class ProtobufDecodeError extends TempoBatchError {}

const utf8 = new TextDecoder('utf-8')
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })
const textEncoder = new TextEncoder()

/** A bounded forward reader; every nested message gets its own reader over a subarray. */
export class ProtoReader {
  private pos = 0
  private readonly view: DataView

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  /** True while bytes remain. */
  get more(): boolean {
    return this.pos < this.bytes.length
  }

  private fail(problem: string): never {
    throw new ProtobufDecodeError(`protobuf: ${problem} at offset ${this.pos}`)
  }

  /** Read a varint as a bigint (full 64 bits). */
  varint64(): bigint {
    let result = 0n
    let shift = 0n
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.bytes.length) this.fail('truncated varint')
      const byte = this.bytes[this.pos++]!
      result |= BigInt(byte & 0x7f) << shift
      if (byte < 0x80) return BigInt.asUintN(64, result)
      shift += 7n
    }
    return this.fail('varint longer than 10 bytes')
  }

  /** Read a varint that must fit a safe integer (lengths, tags, uint32 values). */
  varint(): number {
    let result = 0
    let scale = 1
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.bytes.length) this.fail('truncated varint')
      const byte = this.bytes[this.pos++]!
      result += (byte & 0x7f) * scale
      if (byte < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) this.fail('varint too large')
        return result
      }
      scale *= 128
    }
    return this.fail('varint longer than 10 bytes')
  }

  /** Read a uint32 varint the way Go truncates it. */
  uint32(): number {
    return this.low32() >>> 0
  }

  /** Read an int32/enum varint the way Go truncates it. */
  int32(): number {
    return this.low32() | 0
  }

  // The low 32 bits of a varint: plain arithmetic for the usual short ones (counts, enums, sizes).
  private low32(): number {
    const start = this.pos
    let result = 0
    for (let shift = 0; shift < 28; shift += 7) {
      if (this.pos >= this.bytes.length) break
      const byte = this.bytes[this.pos++]!
      result |= (byte & 0x7f) << shift
      if (byte < 0x80) return result
    }
    this.pos = start
    return Number(BigInt.asUintN(32, this.varint64()))
  }

  /** Read a little-endian fixed64. */
  fixed64(): bigint {
    this.need(8)
    const value = this.view.getBigUint64(this.pos, true)
    this.pos += 8
    return value
  }

  /** Read a little-endian fixed32. */
  fixed32(): number {
    this.need(4)
    const value = this.view.getUint32(this.pos, true)
    this.pos += 4
    return value
  }

  /** Read a little-endian double. */
  double(): number {
    this.need(8)
    const value = this.view.getFloat64(this.pos, true)
    this.pos += 8
    return value
  }

  /** Read a length-delimited payload as a view into the input. */
  delimited(): Uint8Array {
    const length = this.varint()
    this.need(length)
    const slice = this.bytes.subarray(this.pos, this.pos + length)
    this.pos += length
    return slice
  }

  /** Read a length-delimited payload as an owned copy. */
  bytesCopy(): Uint8Array {
    return this.delimited().slice()
  }

  /** Read a length-delimited UTF-8 string; invalid sequences become U+FFFD (Go's string(bytes) when printed as JSON). */
  string(): string {
    return utf8.decode(this.delimited())
  }

  /** Read a length-delimited string that must be valid UTF-8 (proto3's rule for `string` fields). */
  strictString(): string {
    const bytes = this.delimited()
    try {
      return strictUtf8.decode(bytes)
    } catch {
      return this.fail('string field is not valid UTF-8')
    }
  }

  /** Read an int64 varint (two's complement; negative values take 10 bytes). */
  int64(): bigint {
    return BigInt.asIntN(64, this.varint64())
  }

  /** Read a field tag: [field number, wire type]. */
  tag(): [number, number] {
    const key = this.varint()
    const field = Math.floor(key / 8)
    if (field === 0) this.fail('field number 0')
    return [field, key & 7]
  }

  /** Skip a field of the given wire type. */
  skip(wireType: number): void {
    if (wireType === 0) this.varint64()
    else if (wireType === 1) this.advance(8)
    else if (wireType === 2) this.delimited()
    else if (wireType === 5) this.advance(4)
    else this.fail(`unsupported wire type ${wireType}`)
  }

  /** Fail unless the field has the expected wire type. */
  expect(wireType: number, expected: number): void {
    if (wireType !== expected) this.fail(`wire type ${wireType}, expected ${expected}`)
  }

  private advance(count: number): void {
    this.need(count)
    this.pos += count
  }

  private need(count: number): void {
    if (this.pos + count > this.bytes.length) this.fail(`truncated field (${count} bytes needed)`)
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
