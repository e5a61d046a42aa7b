import type { DataPageHeader, DecodedArray, PageHeader } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'
import { convert } from 'hyparquet/src/convert.js'
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js'
import type { ColumnDecoder, LeafColumn } from './columns.js'
import { Dictionary } from './dictionary.js'
import { DeltaLengthValues, DeltaValues, DictionaryValues, RleBooleanValues } from './encoded-values.js'
import { HybridDecoder, bitWidth } from './hybrid-decoder.js'
import { PageLevels, countRows } from './page-levels.js'
import { FixedValues, PlainByteArrayValues, int32At, type PageValues } from './plain-values.js'
import { valueCodecOf } from './value-codec.js'
import { checkPageCrc } from './page-crc.js'

/**
 * One data page, decompressed once and otherwise decoded lazily: its levels as far as the rows asked
 * for reach, and its values only for the rows read (`PageValues`), so the cost of a page follows the
 * rows wanted from it rather than its size.
 */
export interface DecodedPage {
  /** Row index (inside the row group) of the page's first row. */
  firstRow: number
  rowCount: number
  levels: PageLevels
  values: PageValues
}

/** Parse the page header at `bytes[0]`; returns the header and where the page body starts. */
export function readPageHeader(bytes: Uint8Array): { header: PageHeader; bodyOffset: number } {
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 }
  const header = parquetHeader(reader)
  return { header, bodyOffset: reader.offset }
}

/** Decode a dictionary page (header included in `bytes`) into a lazily converted dictionary. */
export function decodeDictionaryPage(bytes: Uint8Array, leaf: LeafColumn, decoder: ColumnDecoder): Dictionary {
  const { header, bodyOffset } = readPageHeader(bytes)
  const dictHeader = header.dictionary_page_header
  if (header.type !== 'DICTIONARY_PAGE' || !dictHeader) throw new Error(`parquet expected a dictionary page, found ${header.type}`)
  const body = bytes.subarray(bodyOffset, bodyOffset + header.compressed_page_size)
  if (body.length !== header.compressed_page_size) throw new Error('parquet dictionary page is truncated')
  checkPageCrc(header, body, decoder.element.name)
  const page = owned(decompressPage(body, Number(header.uncompressed_page_size), decoder.codec, decoder.compressors), body)
  return new Dictionary(page, dictHeader.num_values, decoder.type, decoder.element.type_length, valueCodecOf(leaf))
}

/**
 * Open one data page (V1 or V2; header included in `bytes`). A V2 page's values are decompressed only
 * when its `is_compressed` flag is set (Tempo stores RLE_DICTIONARY pages raw inside SNAPPY chunks). The
 * page keeps its own copy of the bytes it needs, never a view into the fetched buffer, so holding a page
 * does not hold a whole fetch round. `rowCountHint` is the page's row count from the offset index.
 * Returns the page and its total byte length (header + body).
 */
export function decodeDataPage(
  bytes: Uint8Array,
  leaf: LeafColumn,
  decoder: ColumnDecoder,
  dictionary: Dictionary | undefined,
  firstRow: number,
  rowCountHint?: number,
): { page: DecodedPage; byteLength: number } {
  const { header, bodyOffset } = readPageHeader(bytes)
  const byteLength = bodyOffset + header.compressed_page_size
  const body = bytes.subarray(bodyOffset, byteLength)
  if (body.length !== header.compressed_page_size) throw new Error('parquet page is truncated')
  checkPageCrc(header, body, leaf.path.join('.'))
  const v2 = header.type === 'DATA_PAGE_V2' ? header.data_page_header_v2 : undefined
  const v1 = header.type === 'DATA_PAGE' ? header.data_page_header : undefined
  if (!v2 && !v1) throw new Error(`parquet expected a data page, found ${header.type}`)
  const maxRepetition = leaf.maxRepetitionLevel
  const maxDefinition = leaf.maxDefinitionLevel
  let repetition: HybridDecoder | undefined
  let definition: HybridDecoder | undefined
  let values: Uint8Array
  let entryCount: number
  let rowCount: number
  let encoding: string
  if (v2) {
    const repetitionBytes = v2.repetition_levels_byte_length
    const levelBytes = repetitionBytes + v2.definition_levels_byte_length
    if (levelBytes > body.length) throw new Error('parquet page levels run past its body')
    const valueBytes = header.uncompressed_page_size - levelBytes
    let levels: Uint8Array
    if (v2.is_compressed !== false && valueBytes > 0 && decoder.codec !== 'UNCOMPRESSED') {
      levels = body.slice(0, levelBytes)
      values = decompressPage(body.subarray(levelBytes), valueBytes, decoder.codec, decoder.compressors)
    } else {
      levels = body.slice()
      values = levels.subarray(levelBytes)
    }
    if (maxRepetition > 0) repetition = new HybridDecoder(levels, 0, repetitionBytes, bitWidth(maxRepetition))
    if (maxDefinition > 0) definition = new HybridDecoder(levels, repetitionBytes, levelBytes, bitWidth(maxDefinition))
    entryCount = v2.num_values
    rowCount = v2.num_rows
    if (rowCountHint !== undefined && rowCountHint !== rowCount) throw new Error(`parquet page holds ${rowCount} rows, its offset index says ${rowCountHint}`)
    encoding = v2.encoding
  } else {
    const page = owned(decompressPage(body, Number(header.uncompressed_page_size), decoder.codec, decoder.compressors), body)
    let offset = 0
    const levelRuns = (max: number, kind: DataPageHeader['repetition_level_encoding']) => {
      if (kind !== 'RLE') throw new Error(`parquet ${kind} levels are not supported`)
      if (offset + 4 > page.length) throw new Error('parquet page levels run past its body')
      const length = int32At(page, offset)
      const start = offset + 4
      offset = start + length
      if (length < 0 || offset > page.length) throw new Error('parquet page levels run past its body')
      return new HybridDecoder(page, start, offset, bitWidth(max))
    }
    if (maxRepetition > 0) repetition = levelRuns(maxRepetition, v1!.repetition_level_encoding)
    if (maxDefinition > 0) definition = levelRuns(maxDefinition, v1!.definition_level_encoding)
    values = page.subarray(offset)
    entryCount = v1!.num_values
    rowCount = rowCountHint ?? (repetition ? countRows(repetition, entryCount) : entryCount)
    encoding = v1!.encoding
  }
  const levels = new PageLevels(entryCount, rowCount, repetition, definition, maxDefinition)
  const fallback = () => hyparquetValues(body, header, decoder)
  return { page: { firstRow, rowCount, levels, values: pageValues(encoding, values, leaf, decoder, dictionary, fallback) }, byteLength }
}

/** The value reader of a page's encoding; encodings Tempo does not write are decoded whole by hyparquet. */
function pageValues(encoding: string, bytes: Uint8Array, leaf: LeafColumn, decoder: ColumnDecoder, dictionary: Dictionary | undefined, fallback: () => PageValues): PageValues {
  const { type } = decoder
  const codec = valueCodecOf(leaf)
  switch (encoding) {
    case 'PLAIN':
      return type === 'BYTE_ARRAY' ? new PlainByteArrayValues(bytes, codec) : new FixedValues(bytes, type, decoder.element.type_length, codec)
    case 'PLAIN_DICTIONARY':
    case 'RLE_DICTIONARY':
      if (!dictionary) throw new Error(`parquet column ${leaf.path.join('.')} page needs a dictionary but the chunk has none`)
      return new DictionaryValues(bytes, dictionary)
    case 'RLE':
      return type === 'BOOLEAN' ? new RleBooleanValues(bytes, codec) : fallback()
    case 'DELTA_BINARY_PACKED':
      return type === 'INT32' || type === 'INT64' ? new DeltaValues(bytes, type === 'INT64', codec) : fallback()
    case 'DELTA_LENGTH_BYTE_ARRAY':
      return new DeltaLengthValues(bytes, codec)
    default:
      return fallback()
  }
}

/** Values of a page hyparquet decodes in full (BYTE_STREAM_SPLIT, DELTA_BYTE_ARRAY, ALP, ...), converted. */
function hyparquetValues(body: Uint8Array, header: PageHeader, decoder: ColumnDecoder): PageValues {
  let raw: DecodedArray
  if (header.data_page_header_v2) {
    raw = readDataPageV2(body, header, decoder).dataPage
  } else {
    const page = decompressPage(body, Number(header.uncompressed_page_size), decoder.codec, decoder.compressors)
    raw = readDataPage(page, header.data_page_header!, decoder).dataPage
  }
  const converted = convert(raw, decoder)
  return {
    read(from, to, out, at) {
      if (to > converted.length) throw new Error(`parquet page holds ${converted.length} values, ${to} were asked for`)
      for (let i = from; i < to; i++) out[at++] = converted[i]
    },
  }
}

/** `page` as bytes of its own: a copy when decompression handed back (a view of) the fetched bytes. */
function owned(page: Uint8Array, body: Uint8Array): Uint8Array {
  return page.buffer === body.buffer ? page.slice() : page
}
