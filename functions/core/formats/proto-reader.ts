/**
 * A minimal protobuf wire-format reader for the two binary blobs vParquet2/3 store: span `Links`
 * (`tempopb.LinkSlice`) and event attribute `Value`s (`AnyValue`). Errors throw `ProtoDecodeError`;
 * the callers turn them into Tempo's fallbacks (no links / JSON parse).
 */

/** The bytes are not a valid protobuf message of the expected shape. */
export class ProtoDecodeError extends Error {
  constructor(message: string) {
    super(`protobuf: ${message}`)
    this.name = 'ProtoDecodeError'
  }
}

/** One decoded field: `value` is a bigint for varints/fixed, a byte slice for length-delimited. */
export interface ProtoField {
  field: number
  wireType: 0 | 1 | 2 | 5
  varint: bigint
  data: Uint8Array
}

const utf8 = new TextDecoder()

/** Sequential reader over one message's bytes. */
export class ProtoReader {
  private pos = 0
  constructor(private readonly buf: Uint8Array) {}

  /** True when every byte was consumed. */
  get done(): boolean {
    return this.pos >= this.buf.length
  }

  /** Read the next field (tag + payload). */
  next(): ProtoField {
    const tag = this.readVarint()
    const field = Number(tag >> 3n)
    const wireType = Number(tag & 7n)
    if (field <= 0) throw new ProtoDecodeError(`illegal field number ${field}`)
    switch (wireType) {
      case 0:
        return { field, wireType, varint: this.readVarint(), data: EMPTY }
      case 1:
        return { field, wireType, varint: this.readFixed(8), data: EMPTY }
      case 5:
        return { field, wireType, varint: this.readFixed(4), data: EMPTY }
      case 2: {
        const len = this.readVarint()
        if (len > BigInt(this.buf.length - this.pos)) throw new ProtoDecodeError('length beyond end of message')
        const start = this.pos
        this.pos += Number(len)
        return { field, wireType, varint: 0n, data: this.buf.subarray(start, this.pos) }
      }
      default:
        throw new ProtoDecodeError(`unsupported wire type ${wireType} for field ${field}`)
    }
  }

  private readVarint(): bigint {
    let result = 0n
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.buf.length) throw new ProtoDecodeError('truncated varint')
      const b = this.buf[this.pos++]!
      result |= BigInt(b & 0x7f) << shift
      if (b < 0x80) return result & 0xffffffffffffffffn
    }
    throw new ProtoDecodeError('varint too long')
  }

  private readFixed(n: 4 | 8): bigint {
    if (this.pos + n > this.buf.length) throw new ProtoDecodeError('truncated fixed-width field')
    let v = 0n
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.buf[this.pos + i]!)
    this.pos += n
    return v
  }
}

const EMPTY = new Uint8Array(0)

/** Fail unless the field has the wire type the schema demands (Go's generated code does the same). */
export function expectWireType(f: ProtoField, wireType: ProtoField['wireType']): void {
  if (f.wireType !== wireType) throw new ProtoDecodeError(`wrong wire type ${f.wireType} for field ${f.field}`)
}

/** Decode a length-delimited field as UTF-8 text (invalid sequences become U+FFFD, as Go's JSON output would). */
export function protoString(f: ProtoField): string {
  expectWireType(f, 2)
  return utf8.decode(f.data)
}

/** Reinterpret a uint64 varint as Go's int64. */
export function toInt64(v: bigint): bigint {
  return BigInt.asIntN(64, v)
}

/** Reinterpret the low 32 bits as uint32. */
export function toUint32(v: bigint): number {
  return Number(v & 0xffffffffn)
}

/** Reinterpret fixed64 bits as a float64. */
export function toFloat64(bits: bigint): number {
  const view = new DataView(new ArrayBuffer(8))
  view.setBigUint64(0, bits, true)
  return view.getFloat64(0, true)
}
