import type { DecodedArray, PageHeader } from 'hyparquet'
import { parquetMetadata, parquetSchema } from 'hyparquet'
import { convert, convertWithDictionary } from 'hyparquet/src/convert.js'
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js'
import { readPlain } from 'hyparquet/src/plain.js'
import { expect } from 'vitest'
import { columnDecoder, leafColumns, type ColumnDecoder, type LeafColumn } from '../../functions/core/parquet/columns.js'
import type { Dictionary } from '../../functions/core/parquet/dictionary.js'
import type { ParquetFooter } from '../../functions/core/parquet/footer.js'
import { decodeDataPage, decodeDictionaryPage, readPageHeader, type DecodedPage } from '../../functions/core/parquet/page-decoder.js'
import { LevelRun } from '../../functions/core/parquet/page-levels.js'

/**
 * Every page of a parquet file decoded twice, by hyparquet (the reference: its page functions and
 * `convertWithDictionary`, as `parquetReadObjects({ utf8: false })` uses them) and by our lazy decoder,
 * compared level by level and value by value: whole pages, then single rows read ascending and out of
 * order (passing, skipping and starting over). Records which kinds of page it saw.
 */

/** What a checked set of files held. */
export interface PageCoverage {
  pages: number
  values: number
  /** `DATA_PAGE RLE_DICTIONARY compressed`, `DATA_PAGE_V2 PLAIN raw`, ... */
  kinds: Set<string>
}

/** An empty coverage record. */
export function emptyCoverage(): PageCoverage {
  return { pages: 0, values: 0, kinds: new Set() }
}

interface ReferencePage {
  repetition: number[]
  /** Empty when hyparquet dropped them (a V1 page without nulls). */
  definition: number[]
  values: DecodedArray
}

/** Check every page of `bytes` (a whole parquet file); `label` names it in failures. */
export function checkEveryPage(bytes: Uint8Array, label: string, coverage: PageCoverage): void {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
  const metadata = parquetMetadata(buffer)
  const footer: ParquetFooter = { metadata, schema: parquetSchema(metadata), fileSize: bytes.length, metadataStart: 0 }
  const leaves = leafColumns(footer)
  metadata.row_groups.forEach((group, rowGroup) => {
    for (const leaf of leaves) {
      const meta = group.columns[leaf.index]!.meta_data!
      const decoder = columnDecoder(leaf, meta.codec)
      let offset = Number(meta.dictionary_page_offset ?? meta.data_page_offset)
      const end = offset + Number(meta.total_compressed_size)
      let reference: DecodedArray | undefined
      let ours: Dictionary | undefined
      while (offset < end) {
        const where = `${label} row group ${rowGroup} ${leaf.path.join('.')} page at ${offset}`
        const pageBytes = bytes.subarray(offset)
        const { header, bodyOffset } = readPageHeader(pageBytes)
        const body = pageBytes.subarray(bodyOffset, bodyOffset + header.compressed_page_size)
        if (header.type === 'DICTIONARY_PAGE') {
          reference = referenceDictionary(body, header, decoder)
          ours = decodeDictionaryPage(pageBytes, leaf, decoder)
          for (let i = 0; i < reference.length; i++) expectSame(ours.get(i), reference[i], `${where} dictionary entry ${i}`)
          coverage.kinds.add(`DICTIONARY_PAGE ${header.dictionary_page_header!.encoding}`)
        } else {
          const expected = referencePage(body, header, decoder, reference)
          const encoding = header.data_page_header?.encoding ?? header.data_page_header_v2!.encoding
          const raw = meta.codec === 'UNCOMPRESSED' || header.data_page_header_v2?.is_compressed === false
          coverage.kinds.add(`${header.type} ${encoding} ${raw ? 'raw' : 'compressed'}`)
          coverage.values += checkPage(() => decodeDataPage(pageBytes, leaf, decoder, ours, 0).page, leaf, expected, where)
        }
        coverage.pages++
        offset += bodyOffset + header.compressed_page_size
      }
    }
  })
}

function referenceDictionary(body: Uint8Array, header: PageHeader, decoder: ColumnDecoder): DecodedArray {
  const page = decompressPage(body, Number(header.uncompressed_page_size), decoder.codec, decoder.compressors)
  const reader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 }
  return convert(readPlain(reader, decoder.type, header.dictionary_page_header!.num_values, decoder.element.type_length), decoder)
}

function referencePage(body: Uint8Array, header: PageHeader, decoder: ColumnDecoder, dictionary: DecodedArray | undefined): ReferencePage {
  let read
  let encoding
  if (header.type === 'DATA_PAGE_V2') {
    read = readDataPageV2(body, header, decoder)
    encoding = header.data_page_header_v2!.encoding
  } else {
    read = readDataPage(decompressPage(body, Number(header.uncompressed_page_size), decoder.codec, decoder.compressors), header.data_page_header!, decoder)
    encoding = header.data_page_header!.encoding
  }
  return {
    repetition: read.repetitionLevels,
    definition: read.definitionLevels ?? [],
    values: convertWithDictionary(read.dataPage, dictionary, encoding, decoder),
  }
}

/** Compare one page whole and by single rows; returns the values compared. */
function checkPage(open: () => DecodedPage, leaf: LeafColumn, expected: ReferencePage, where: string): number {
  // Row and value starts of the reference, from its levels.
  const entries = expected.repetition.length || expected.definition.length || expected.values.length
  const rowStarts: number[] = []
  const valueStarts: number[] = []
  let values = 0
  for (let e = 0; e < entries; e++) {
    if (leaf.maxRepetitionLevel === 0 || expected.repetition[e] === 0) {
      rowStarts.push(e)
      valueStarts.push(values)
    }
    if (expected.definition.length === 0 || expected.definition[e] === leaf.maxDefinitionLevel) values++
  }
  rowStarts.push(entries)
  valueStarts.push(values)
  const rows = rowStarts.length - 1
  expect(values, `${where}: reference values`).toBe(expected.values.length)

  const page = open()
  expect(page.rowCount, `${where}: rows`).toBe(rows)
  const run = new LevelRun()
  const out: unknown[] = []
  const checkRows = (target: DecodedPage, from: number, to: number) => {
    const label = `${where} rows [${from}, ${to})`
    target.levels.readRows(from, to, run)
    const e0 = rowStarts[from]!
    expect(run.entries, `${label}: entries`).toBe(rowStarts[to]! - e0)
    expect(run.valueStart, `${label}: first value`).toBe(valueStarts[from])
    expect(run.values, `${label}: values`).toBe(valueStarts[to]! - valueStarts[from]!)
    for (let e = 0; e < run.entries; e++) {
      if (leaf.maxRepetitionLevel > 0 && run.repetition[e] !== expected.repetition[e0 + e]) expect(run.repetition[e], `${label}: repetition level ${e0 + e}`).toBe(expected.repetition[e0 + e])
      const definition = expected.definition.length ? expected.definition[e0 + e] : leaf.maxDefinitionLevel
      if (leaf.maxDefinitionLevel > 0 && run.definition[e] !== definition) expect(run.definition[e], `${label}: definition level ${e0 + e}`).toBe(definition)
    }
    out.length = 0
    target.values.read(run.valueStart, run.valueStart + run.values, out, 0)
    for (let v = 0; v < run.values; v++) expectSame(out[v], expected.values[run.valueStart + v], `${label}: value ${run.valueStart + v}`)
  }
  if (rows === 0) return 0
  checkRows(page, 0, rows)
  // A fresh page read a row at a time, ascending with gaps, then backwards (starting over).
  const sparse = open()
  const step = Math.max(1, Math.floor(rows / 7))
  for (let r = step - 1; r < rows; r += step) checkRows(sparse, r, r + 1)
  checkRows(sparse, rows - 1, rows)
  checkRows(sparse, 0, 1)
  return values
}

/** Values equal as the row reader needs them: bytes by content, everything else by `Object.is` (dates by time). */
function expectSame(actual: unknown, expected: unknown, where: string): void {
  if (actual instanceof Uint8Array && expected instanceof Uint8Array) {
    if (actual.length === expected.length && actual.every((b, i) => b === expected[i])) return
  } else if (actual instanceof Date && expected instanceof Date) {
    if (Object.is(actual.getTime(), expected.getTime())) return
  } else if (Object.is(actual, expected)) {
    return
  }
  expect(actual, where).toEqual(expected)
}
