import type { ByteSink } from './byte-sink.js'
import { writeDeltaInt32, writeDeltaInt64, writeDeltaLengthByteArray } from './delta.js'
import { Encoding } from './parquet-enums.js'
import { writePlain } from './page-values.js'
import { bitWidth, writeRleHybrid } from './rle-hybrid.js'
import type { LeafColumn } from './schema.js'

/**
 * Which encoding a data page of a column gets, and the encoding of its values: dictionary indices
 * for dictionary columns, DELTA_LENGTH_BYTE_ARRAY for other strings, DELTA_BINARY_PACKED for integer
 * columns marked `delta`, PLAIN otherwise (parquet-go's choices for Tempo's schema).
 */

/** The values of one open page as the column writer buffers them (only the arrays of its type are used). */
export interface PageValues {
  nums: Float64Array
  bigs: BigInt64Array
  lens: Int32Array
  /** Concatenated byte-array values (BYTE_ARRAY columns without a dictionary). */
  data: Uint8Array
  count: number
}

/** The data-page encoding of a column that has no dictionary. */
export function plainColumnEncoding(col: LeafColumn): number {
  if (col.type === 'BYTE_ARRAY') return Encoding.DELTA_LENGTH_BYTE_ARRAY
  if (col.options.delta && (col.type === 'INT64' || col.type === 'INT32')) return Encoding.DELTA_BINARY_PACKED
  return Encoding.PLAIN
}

/** Encode a page's values into `out`; `dictSize` is the dictionary's size for dictionary columns. Returns the encoding. */
export function encodePageValues(out: ByteSink, col: LeafColumn, dictSize: number | undefined, values: PageValues): number {
  const { nums, bigs, count } = values
  if (dictSize !== undefined) {
    const width = Math.max(1, bitWidth(dictSize - 1))
    out.byte(width)
    writeRleHybrid(out, nums, count, width)
    return Encoding.RLE_DICTIONARY
  }
  const encoding = plainColumnEncoding(col)
  if (encoding === Encoding.DELTA_LENGTH_BYTE_ARRAY) writeDeltaLengthByteArray(out, values.lens, count, values.data)
  else if (encoding === Encoding.DELTA_BINARY_PACKED && col.type === 'INT64') writeDeltaInt64(out, bigs, count)
  else if (encoding === Encoding.DELTA_BINARY_PACKED) writeDeltaInt32(out, nums, count)
  else writePlain(out, col.type, nums, bigs, count)
  return encoding
}
