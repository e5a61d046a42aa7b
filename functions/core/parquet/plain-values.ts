import type { ParquetType } from 'hyparquet'
import type { ValueCodec } from './value-codec.js'

/**
 * PLAIN values read straight from the page bytes: fixed-width values by position, byte arrays by
 * walking their 4-byte lengths (no view per value) and slicing only the wanted ones.
 */

/** Called with each raw byte-array value `source[start, end)` and its index among the page's values. */
export type BytesVisitor = (source: Uint8Array, start: number, end: number, index: number) => void

/** A page's values as the row reader takes them. */
export interface PageValues {
  /** Values `[from, to)` (indexes among the page's non-null values) as JS values into `out[at...]`. */
  read(from: number, to: number, out: unknown[], at: number): void
  /**
   * Byte-array values `[from, to)` handed to `visit` raw, where they lie, without converting or copying
   * them (readers of byte arrays only): the TraceID scan compares IDs in place.
   */
  scanBytes?(from: number, to: number, visit: BytesVisitor): void
}

/**
 * Values decoded in order: asking for values before the last ones read starts over (rows are read in
 * ascending order, so that is rare), and values between are skipped without being converted.
 */
export abstract class ForwardValues implements PageValues {
  private position = 0

  read(from: number, to: number, out: unknown[], at: number): void {
    this.seek(from)
    if (to > from) this.decode(to - from, out, at)
    this.position = to
  }

  /** `PageValues.scanBytes` for readers whose `visit` is implemented. */
  protected scan(from: number, to: number, visit: BytesVisitor): void {
    this.seek(from)
    if (to > from) this.visit(to - from, visit, from)
    this.position = to
  }

  private seek(from: number): void {
    if (from < this.position) {
      this.rewind()
      this.position = 0
    }
    if (from > this.position) this.skip(from - this.position)
  }

  /** Hand the next `count` values (the first being value `index`) to `visit` raw; byte-array readers only. */
  protected visit(count: number, visit: BytesVisitor, index: number): void {
    void count
    void visit
    void index
    throw new Error('parquet values of this page are not byte arrays')
  }

  protected abstract rewind(): void
  protected abstract skip(count: number): void
  protected abstract decode(count: number, out: unknown[], at: number): void
}

/** Bytes per PLAIN value of a fixed-width type (0 for BOOLEAN, which is bit-packed). */
export function plainWidth(type: ParquetType, typeLength: number | undefined): number {
  switch (type) {
    case 'BOOLEAN':
      return 0
    case 'INT32':
    case 'FLOAT':
      return 4
    case 'INT64':
    case 'DOUBLE':
      return 8
    case 'INT96':
      return 12
    case 'FIXED_LEN_BYTE_ARRAY':
      if (!typeLength) throw new Error('parquet FIXED_LEN_BYTE_ARRAY column has no type_length')
      return typeLength
    default:
      throw new Error(`parquet type ${type} has no fixed width`)
  }
}

const scratch = new ArrayBuffer(8)
const scratchBytes = new Uint8Array(scratch)
const scratchFloat = new Float32Array(scratch)
const scratchDouble = new Float64Array(scratch)

/** Little-endian int32 at `offset`. */
export function int32At(bytes: Uint8Array, offset: number): number {
  return bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)
}

/** The fixed-width value of `type` at `offset` (not BOOLEAN). */
export function readFixed(bytes: Uint8Array, offset: number, type: ParquetType, width: number, codec: ValueCodec): unknown {
  switch (type) {
    case 'INT32':
      return codec.int32(int32At(bytes, offset))
    case 'INT64':
      return codec.int64(int32At(bytes, offset), int32At(bytes, offset + 4))
    case 'FLOAT':
      for (let i = 0; i < 4; i++) scratchBytes[i] = bytes[offset + i]!
      return codec.float(scratchFloat[0]!)
    case 'DOUBLE':
      for (let i = 0; i < 8; i++) scratchBytes[i] = bytes[offset + i]!
      return codec.float(scratchDouble[0]!)
    case 'INT96':
      return codec.int96(bytes, offset)
    default:
      return codec.bytes(bytes, offset, offset + width)
  }
}

/** PLAIN values of a fixed width (or bit-packed booleans): any value by position. */
export class FixedValues implements PageValues {
  private readonly width: number

  constructor(
    private readonly bytes: Uint8Array,
    private readonly type: ParquetType,
    typeLength: number | undefined,
    private readonly codec: ValueCodec,
  ) {
    this.width = plainWidth(type, typeLength)
  }

  read(from: number, to: number, out: unknown[], at: number): void {
    const { bytes, width, type, codec } = this
    const needed = type === 'BOOLEAN' ? (to + 7) >> 3 : to * width
    if (needed > bytes.length) throw new Error(`parquet page holds fewer values than the ${to} its levels name`)
    if (type === 'BOOLEAN') {
      for (let i = from; i < to; i++) out[at++] = codec.boolean((bytes[i >> 3]! & (1 << (i & 7))) !== 0)
    } else if (type === 'INT32') {
      for (let i = from; i < to; i++) out[at++] = codec.int32(int32At(bytes, i * 4))
    } else if (type === 'INT64') {
      for (let i = from; i < to; i++) out[at++] = codec.int64(int32At(bytes, i * 8), int32At(bytes, i * 8 + 4))
    } else {
      for (let i = from; i < to; i++) out[at++] = readFixed(bytes, i * width, type, width, codec)
    }
  }
}

/**
 * Byte arrays read in order: `next` finds where the value at `pos` ends and where its bytes begin
 * (`start`), so converting, visiting and skipping are written once for every byte-array encoding.
 */
export abstract class ByteArrayValues extends ForwardValues {
  /** Where the next value's encoding starts. */
  protected pos = 0
  /** Where the bytes of the value `next` found begin. */
  protected start = 0

  constructor(
    protected readonly bytes: Uint8Array,
    private readonly codec: ValueCodec,
  ) {
    super()
  }

  protected decode(count: number, out: unknown[], at: number): void {
    for (let i = 0; i < count; i++) {
      const end = this.next()
      out[at + i] = this.codec.bytes(this.bytes, this.start, end)
      this.pos = end
    }
  }

  scanBytes(from: number, to: number, visit: BytesVisitor): void {
    this.scan(from, to, visit)
  }

  protected override visit(count: number, visit: BytesVisitor, index: number): void {
    for (let i = 0; i < count; i++) {
      const end = this.next()
      visit(this.bytes, this.start, end, index + i)
      this.pos = end
    }
  }

  /** End of the value at `pos` (its bytes begin at `start`). */
  protected abstract next(): number
}

/** PLAIN byte arrays: each a 4-byte length then its bytes. */
export class PlainByteArrayValues extends ByteArrayValues {
  protected rewind(): void {
    this.pos = 0
  }

  protected skip(count: number): void {
    for (let i = 0; i < count; i++) this.pos = this.next()
  }

  protected next(): number {
    const { bytes, pos } = this
    if (pos + 4 > bytes.length) throw new Error('parquet page holds fewer byte arrays than its levels name')
    this.start = pos + 4
    const end = this.start + int32At(bytes, pos)
    if (end < this.start || end > bytes.length) throw new Error('parquet byte array runs past its page')
    return end
  }
}
