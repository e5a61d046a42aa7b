import type { DecodedArray, PageHeader } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'
import { convert } from 'hyparquet/src/convert.js'
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js'
import { readPlain } from 'hyparquet/src/plain.js'
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js'
import type { ColumnDecoder, LeafColumn } from './columns.js'

/**
 * One decoded data page, kept UNASSEMBLED: levels and raw values. Rows are sliced out of it on demand
 * (`sliceRows`) so only the wanted rows are ever converted and assembled into objects.
 */
export interface DecodedPage {
  /** Row index (inside the row group) of the page's first row. */
  firstRow: number
  rowCount: number
  /** Level entries of the page (= values incl. nulls). */
  entryCount: number
  /** Entry index where each row starts, plus `entryCount` at the end; undefined when entry i is row i. */
  rowStarts?: Int32Array
  /** Empty when the column is not repeated. Typed: pages stay cached for the block's read, and a JS array would cost 8 bytes a level and GC scanning. */
  repetitionLevels: Uint8Array
  /** Undefined when every entry is at the maximum definition level. */
  definitionLevels?: Uint8Array
  /** Index of the first value of each row (values skip nulls), plus the value count; undefined when entry i is value i. */
  rowValueStarts?: Int32Array
  /** Raw decoded values; dictionary indexes when `dictionary` is set. */
  values: DecodedArray
  /** Converted dictionary the values index into. */
  dictionary?: DecodedArray
}

/**
 * Sliced levels and converted values of some rows of a column, ready for hyparquet's `assembleLists`.
 * Buffers are sized up front (`measureRows`) and filled at the cursors.
 */
export interface RowSlice {
  repetitionLevels: Uint8Array
  definitionLevels: Uint8Array
  values: unknown[]
  entryCursor: number
  valueCursor: number
}

/** Entry and value ranges of rows `[fromRow, toRow)` of a page. */
export interface RowRun {
  entryStart: number
  entryEnd: number
  valueStart: number
  valueEnd: number
}

/** Parse the page header at `bytes[0]`; returns the header and where the page body starts. */
export function readPageHeader(bytes: Uint8Array): { header: PageHeader; bodyOffset: number } {
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 }
  const header = parquetHeader(reader)
  return { header, bodyOffset: reader.offset }
}

/** Decode a dictionary page (header included in `bytes`) into converted values. */
export function decodeDictionaryPage(bytes: Uint8Array, decoder: ColumnDecoder): DecodedArray {
  const { header, bodyOffset } = readPageHeader(bytes)
  const dictHeader = header.dictionary_page_header
  if (header.type !== 'DICTIONARY_PAGE' || !dictHeader) throw new Error(`parquet expected a dictionary page, found ${header.type}`)
  const body = bytes.subarray(bodyOffset, bodyOffset + header.compressed_page_size)
  const page = decompressPage(body, Number(header.uncompressed_page_size), decoder.codec, decoder.compressors)
  const reader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 }
  const raw = readPlain(reader, decoder.type, dictHeader.num_values, decoder.element.type_length)
  return convert(raw, decoder)
}

/**
 * Decode one data page (V1 or V2; header included in `bytes`). A V2 page is decompressed only when its
 * `is_compressed` flag is set (Tempo stores RLE_DICTIONARY pages raw inside SNAPPY chunks).
 * Returns the page and its total byte length (header + body).
 */
export function decodeDataPage(
  bytes: Uint8Array,
  leaf: LeafColumn,
  decoder: ColumnDecoder,
  dictionary: DecodedArray | undefined,
  firstRow: number,
): { page: DecodedPage; byteLength: number } {
  const { header, bodyOffset } = readPageHeader(bytes)
  const byteLength = bodyOffset + header.compressed_page_size
  const body = bytes.subarray(bodyOffset, byteLength)
  if (body.length !== header.compressed_page_size) throw new Error('parquet page is truncated')
  let levels: { definitionLevels: Uint8Array | undefined; repetitionLevels: Uint8Array; dataPage: DecodedArray }
  let encoding: string
  let rowCountHint: number | undefined
  if (header.type === 'DATA_PAGE_V2' && header.data_page_header_v2) {
    levels = readDataPageV2Typed(body, header, leaf, decoder)
    encoding = header.data_page_header_v2.encoding
    rowCountHint = header.data_page_header_v2.num_rows
  } else if (header.type === 'DATA_PAGE' && header.data_page_header) {
    const page = decompressPage(body, Number(header.uncompressed_page_size), decoder.codec, decoder.compressors)
    const read = readDataPage(page, header.data_page_header, decoder)
    levels = { repetitionLevels: Uint8Array.from(read.repetitionLevels), definitionLevels: read.definitionLevels && Uint8Array.from(read.definitionLevels), dataPage: read.dataPage }
    encoding = header.data_page_header.encoding
  } else {
    throw new Error(`parquet expected a data page, found ${header.type}`)
  }
  const usesDictionary = encoding.endsWith('_DICTIONARY')
  if (usesDictionary && !dictionary) throw new Error(`parquet column ${leaf.path.join('.')} page needs a dictionary but the chunk has none`)
  const { repetitionLevels, dataPage } = levels
  const definitionLevels = levels.definitionLevels?.length ? levels.definitionLevels : undefined
  const entryCount = repetitionLevels.length || definitionLevels?.length || dataPage.length
  const page: DecodedPage = {
    firstRow,
    rowCount: 0,
    entryCount,
    repetitionLevels,
    values: dataPage,
  }
  if (usesDictionary) page.dictionary = dictionary
  // One pass over the levels: where each row starts among the entries and among the values.
  const repeated = leaf.maxRepetitionLevel > 0
  const max = leaf.maxDefinitionLevel
  const starts = repeated ? new Int32Array(entryCount + 1) : undefined
  const valueStarts = definitionLevels ? new Int32Array(entryCount + 1) : undefined
  let rows = 0
  let v = 0
  for (let i = 0; i < entryCount; i++) {
    if (!repeated || repetitionLevels[i] === 0) {
      if (starts) starts[rows] = i
      if (valueStarts) valueStarts[rows] = v
      rows++
    }
    if (definitionLevels && definitionLevels[i] === max) v++
  }
  if (starts) {
    if (entryCount > 0 && (rows === 0 || starts[0] !== 0)) throw new Error(`parquet page of ${leaf.path.join('.')} does not start at a row boundary`)
    starts[rows] = entryCount
    // Copies sized to the rows, so a cached page does not keep entry-sized buffers.
    page.rowStarts = starts.slice(0, rows + 1)
  }
  page.rowCount = rows
  if (rowCountHint !== undefined && rowCountHint !== page.rowCount) {
    throw new Error(`parquet page of ${leaf.path.join('.')} holds ${page.rowCount} rows, header says ${rowCountHint}`)
  }
  if (definitionLevels && valueStarts) {
    page.definitionLevels = definitionLevels
    valueStarts[rows] = v
    // Only needed when some entry is null; otherwise entry i is value i.
    if (v !== entryCount) page.rowValueStarts = valueStarts.slice(0, rows + 1)
  }
  return { page, byteLength }
}

const NO_LEVELS = new Uint8Array(0)

/**
 * A V2 data page with its levels decoded into typed buffers here and its values by hyparquet: hyparquet
 * is handed a header whose level section counts as repetition bytes and a path without levels, so it
 * skips past them without decoding them into JS arrays.
 */
function readDataPageV2Typed(body: Uint8Array, header: PageHeader, leaf: LeafColumn, decoder: ColumnDecoder) {
  const v2 = header.data_page_header_v2!
  const reader = { view: new DataView(body.buffer, body.byteOffset, body.byteLength), offset: 0 }
  let repetitionLevels = NO_LEVELS
  if (leaf.maxRepetitionLevel > 0) {
    repetitionLevels = new Uint8Array(v2.num_values)
    readRleBitPackedHybrid(reader, bitWidth(leaf.maxRepetitionLevel), repetitionLevels, v2.repetition_levels_byte_length)
  }
  reader.offset = v2.repetition_levels_byte_length
  let definitionLevels: Uint8Array | undefined
  if (leaf.maxDefinitionLevel > 0) {
    definitionLevels = new Uint8Array(v2.num_values)
    readRleBitPackedHybrid(reader, bitWidth(leaf.maxDefinitionLevel), definitionLevels, v2.definition_levels_byte_length)
  }
  const levelBytes = v2.repetition_levels_byte_length + v2.definition_levels_byte_length
  const valuesOnly: PageHeader = { ...header, data_page_header_v2: { ...v2, repetition_levels_byte_length: levelBytes, definition_levels_byte_length: 0 } }
  const { dataPage } = readDataPageV2(body, valuesOnly, { ...decoder, schemaPath: decoder.schemaPath.slice(0, 1) })
  return { repetitionLevels, definitionLevels, dataPage }
}

function bitWidth(value: number): number {
  return 32 - Math.clz32(value)
}

/** Where rows `[fromRow, toRow)` (row-group relative, all inside `page`) lie among the page's entries and values. */
export function measureRows(page: DecodedPage, fromRow: number, toRow: number): RowRun {
  const first = fromRow - page.firstRow
  const end = toRow - page.firstRow
  if (first < 0 || end > page.rowCount || end <= first) throw new Error(`parquet rows [${fromRow}, ${toRow}) are not in the page starting at row ${page.firstRow}`)
  const entryStart = page.rowStarts ? page.rowStarts[first]! : first
  const entryEnd = page.rowStarts ? page.rowStarts[end]! : end
  const valueStart = page.rowValueStarts ? page.rowValueStarts[first]! : entryStart
  const valueEnd = page.rowValueStarts ? page.rowValueStarts[end]! : entryEnd
  return { entryStart, entryEnd, valueStart, valueEnd }
}

/** A slice with room for `entries` levels and `values` values. */
export function allocateSlice(entries: number, values: number): RowSlice {
  return { repetitionLevels: new Uint8Array(entries), definitionLevels: new Uint8Array(entries), values: new Array(values), entryCursor: 0, valueCursor: 0 }
}

/**
 * Copy the levels and converted values of `run` of `page` into `out` at its cursors. Only these values
 * are converted (strings decoded, dictionary dereferenced).
 */
export function sliceRows(page: DecodedPage, run: RowRun, leaf: LeafColumn, decoder: ColumnDecoder, out: RowSlice): void {
  const { entryStart, entryEnd, valueStart, valueEnd } = run
  let e = out.entryCursor
  if (leaf.maxRepetitionLevel > 0) {
    const reps = page.repetitionLevels
    for (let i = entryStart; i < entryEnd; i++) out.repetitionLevels[e++] = reps[i]!
  }
  e = out.entryCursor
  if (leaf.maxDefinitionLevel > 0) {
    const defs = page.definitionLevels
    if (defs) for (let i = entryStart; i < entryEnd; i++) out.definitionLevels[e++] = defs[i]!
    else out.definitionLevels.fill(leaf.maxDefinitionLevel, e, e + entryEnd - entryStart)
  }
  out.entryCursor += entryEnd - entryStart
  let v = out.valueCursor
  if (page.dictionary) {
    const dictionary = page.dictionary
    const indexes = page.values
    for (let i = valueStart; i < valueEnd; i++) out.values[v++] = dictionary[Number(indexes[i])]
  } else {
    const converted = convert(page.values.slice(valueStart, valueEnd) as DecodedArray, decoder)
    for (let i = 0; i < converted.length; i++) out.values[v++] = converted[i]
  }
  out.valueCursor = v
}
