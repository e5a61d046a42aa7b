import type { ParquetType } from 'hyparquet'
import { int32At, plainWidth, readFixed, type BytesVisitor } from './plain-values.js'
import type { ValueCodec } from './value-codec.js'

/**
 * A chunk's dictionary page kept as its (decompressed) PLAIN bytes plus where each entry starts; an entry
 * is converted to a JS value the first time a wanted row uses it and then shared by every row using it
 * (as hyparquet shares its converted dictionary), so a chunk with a large dictionary and a few wanted
 * rows converts a few entries.
 */
export class Dictionary {
  /** Entry i occupies `bytes[offsets[i] + 4, offsets[i + 1])` (BYTE_ARRAY: after its length prefix). */
  private readonly offsets: Int32Array | undefined
  private readonly width: number
  private converted: unknown[] | undefined

  constructor(
    private readonly bytes: Uint8Array,
    readonly size: number,
    private readonly type: ParquetType,
    typeLength: number | undefined,
    private readonly codec: ValueCodec,
  ) {
    if (type === 'BYTE_ARRAY') {
      this.width = 0
      this.offsets = byteArrayOffsets(bytes, size)
    } else {
      this.width = plainWidth(type, typeLength)
      if (type === 'BOOLEAN' || size * this.width > bytes.length) throw new Error(`parquet dictionary of ${size} ${type} values does not fit its ${bytes.length} bytes`)
      this.offsets = undefined
    }
  }

  /** Entry `index` as a JS value. */
  get(index: number): unknown {
    const converted = (this.converted ??= new Array<unknown>(this.size))
    let value = converted[index]
    if (value === undefined) {
      if (!(index >= 0 && index < this.size)) throw new Error(`parquet dictionary index ${index} is out of range (${this.size} entries)`)
      const offsets = this.offsets
      value = offsets ? this.codec.bytes(this.bytes, offsets[index]! + 4, offsets[index + 1]!) : readFixed(this.bytes, index * this.width, this.type, this.width, this.codec)
      converted[index] = value
    }
    return value
  }

  /** Hand entry `index` of a BYTE_ARRAY dictionary to `visit` raw, as value `valueIndex` of a page. */
  visitBytes(index: number, visit: BytesVisitor, valueIndex: number): void {
    const offsets = this.offsets
    if (!offsets) throw new Error(`parquet dictionary of ${this.type} values holds no byte arrays`)
    if (!(index >= 0 && index < this.size)) throw new Error(`parquet dictionary index ${index} is out of range (${this.size} entries)`)
    visit(this.bytes, offsets[index]! + 4, offsets[index + 1]!, valueIndex)
  }
}

/** Where each of `count` PLAIN byte arrays starts (at its 4-byte length), plus the end of the last. */
function byteArrayOffsets(bytes: Uint8Array, count: number): Int32Array {
  const offsets = new Int32Array(count + 1)
  let pos = 0
  for (let i = 0; i < count; i++) {
    offsets[i] = pos
    if (pos + 4 > bytes.length) throw new Error(`parquet dictionary ends after ${i} of ${count} values`)
    const length = int32At(bytes, pos)
    if (length < 0) throw new Error(`parquet dictionary value ${i} has a negative length`)
    pos += 4 + length
  }
  if (pos > bytes.length) throw new Error(`parquet dictionary ends inside its last value`)
  offsets[count] = pos
  return offsets
}
