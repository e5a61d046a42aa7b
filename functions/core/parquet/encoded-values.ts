import { DeltaDecoder } from './delta-decoder.js'
import type { Dictionary } from './dictionary.js'
import { HybridDecoder } from './hybrid-decoder.js'
import { ByteArrayValues, ForwardValues, type BytesVisitor } from './plain-values.js'
import type { ValueCodec } from './value-codec.js'

/**
 * Value readers of the non-PLAIN encodings Tempo writes: each decodes forward from the last value read,
 * skipping unwanted values as cheaply as the encoding allows, and converts only the values asked for.
 */

// Dictionary indexes and RLE booleans of one `read` call land here first; reused by every page.
let indexes = new Int32Array(1024)

function indexScratch(count: number): Int32Array {
  if (indexes.length < count) indexes = new Int32Array(Math.max(count, indexes.length * 2))
  return indexes
}

/** RLE_DICTIONARY / PLAIN_DICTIONARY: a bit width byte, then hybrid-encoded indexes into the dictionary. */
export class DictionaryValues extends ForwardValues {
  private readonly indexes: HybridDecoder

  constructor(
    bytes: Uint8Array,
    private readonly dictionary: Dictionary,
  ) {
    super()
    if (bytes.length === 0) throw new Error('parquet dictionary-encoded page has no bit width')
    this.indexes = new HybridDecoder(bytes, 1, bytes.length, bytes[0]!)
  }

  protected rewind(): void {
    this.indexes.reset()
  }

  protected skip(count: number): void {
    this.indexes.skip(count)
  }

  protected decode(count: number, out: unknown[], at: number): void {
    const scratch = indexScratch(count)
    this.indexes.read(scratch, 0, count)
    const dictionary = this.dictionary
    for (let i = 0; i < count; i++) out[at + i] = dictionary.get(scratch[i]!)
  }

  scanBytes(from: number, to: number, visit: BytesVisitor): void {
    this.scan(from, to, visit)
  }

  protected override visit(count: number, visit: BytesVisitor, index: number): void {
    const scratch = indexScratch(count)
    this.indexes.read(scratch, 0, count)
    for (let i = 0; i < count; i++) this.dictionary.visitBytes(scratch[i]!, visit, index + i)
  }
}

/** BOOLEAN as RLE: a 4-byte length, then hybrid-encoded bits. */
export class RleBooleanValues extends ForwardValues {
  private readonly bits: HybridDecoder

  constructor(
    bytes: Uint8Array,
    private readonly codec: ValueCodec,
  ) {
    super()
    if (bytes.length < 4) throw new Error('parquet RLE boolean page has no length')
    const length = bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)
    this.bits = new HybridDecoder(bytes, 4, Math.min(bytes.length, 4 + Math.max(0, length)), 1)
  }

  protected rewind(): void {
    this.bits.reset()
  }

  protected skip(count: number): void {
    this.bits.skip(count)
  }

  protected decode(count: number, out: unknown[], at: number): void {
    const scratch = indexScratch(count)
    this.bits.read(scratch, 0, count)
    for (let i = 0; i < count; i++) out[at + i] = this.codec.boolean(scratch[i] !== 0)
  }
}

/** DELTA_BINARY_PACKED INT32 or INT64. */
export class DeltaValues extends ForwardValues {
  private readonly delta: DeltaDecoder

  constructor(
    bytes: Uint8Array,
    private readonly int64: boolean,
    private readonly codec: ValueCodec,
  ) {
    super()
    this.delta = new DeltaDecoder(bytes, 0)
  }

  protected rewind(): void {
    this.delta.reset()
  }

  protected skip(count: number): void {
    this.delta.skip(count)
  }

  protected decode(count: number, out: unknown[], at: number): void {
    const { delta, codec } = this
    for (let i = 0; i < count; i++) {
      delta.next()
      out[at + i] = this.int64 ? codec.int64(delta.lo, delta.hi) : codec.int32(delta.lo)
    }
  }
}

/** DELTA_LENGTH_BYTE_ARRAY: the lengths, DELTA_BINARY_PACKED, then all the bytes back to back. */
export class DeltaLengthValues extends ByteArrayValues {
  private readonly lengths: DeltaDecoder
  private readonly dataStart: number

  constructor(bytes: Uint8Array, codec: ValueCodec) {
    super(bytes, codec)
    this.lengths = new DeltaDecoder(bytes, 0)
    this.dataStart = this.lengths.sectionEnd()
    this.pos = this.dataStart
  }

  protected rewind(): void {
    this.lengths.reset()
    this.pos = this.dataStart
  }

  protected skip(count: number): void {
    const end = this.pos + this.lengths.skipSum32(count)
    if (end < this.pos || end > this.bytes.length) throw new Error('parquet byte array runs past its page')
    this.pos = end
  }

  protected next(): number {
    this.lengths.next()
    this.start = this.pos
    const end = this.pos + this.lengths.lo
    if (this.lengths.lo < 0 || end > this.bytes.length) throw new Error('parquet byte array runs past its page')
    return end
  }
}
