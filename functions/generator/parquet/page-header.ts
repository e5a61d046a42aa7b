import { PageType } from './parquet-enums.js'
import { ThriftWriter } from './thrift-writer.js'

/** Thrift `PageHeader`s for DATA_PAGE_V2 and DICTIONARY_PAGE pages. */

/** Page-header statistics (Tempo's files carry both the legacy and the new min/max pair). */
export interface PageStatistics {
  nullCount: number
  min?: Uint8Array
  max?: Uint8Array
}

/** Fields of a DATA_PAGE_V2 header. */
export interface DataPageV2 {
  uncompressedSize: number
  compressedSize: number
  crc: number
  numValues: number
  numNulls: number
  numRows: number
  encoding: number
  defLength: number
  repLength: number
  isCompressed: boolean
  statistics: PageStatistics
}

/** Encode a DATA_PAGE_V2 page header. */
export function encodeDataPageV2Header(page: DataPageV2): Uint8Array {
  const t = new ThriftWriter()
  t.i32(1, PageType.DATA_PAGE_V2).i32(2, page.uncompressedSize).i32(3, page.compressedSize).i32(4, page.crc)
  t.struct(8)
  t.i32(1, page.numValues).i32(2, page.numNulls).i32(3, page.numRows).i32(4, page.encoding)
  t.i32(5, page.defLength).i32(6, page.repLength).bool(7, page.isCompressed)
  writeStatistics(t, 8, page.statistics, true)
  t.end()
  t.end()
  return t.out.toBytes()
}

/** Fields of a DICTIONARY_PAGE header. */
export interface DictionaryPage {
  uncompressedSize: number
  compressedSize: number
  crc: number
  numValues: number
  encoding: number
}

/** Encode a DICTIONARY_PAGE page header. */
export function encodeDictionaryPageHeader(page: DictionaryPage): Uint8Array {
  const t = new ThriftWriter()
  t.i32(1, PageType.DICTIONARY_PAGE).i32(2, page.uncompressedSize).i32(3, page.compressedSize).i32(4, page.crc)
  t.struct(7).i32(1, page.numValues).i32(2, page.encoding).end()
  t.end()
  return t.out.toBytes()
}

/** Write a `Statistics` struct field; `legacy` adds the deprecated `max`/`min` pair. */
export function writeStatistics(t: ThriftWriter, fieldId: number, stats: PageStatistics, legacy: boolean): void {
  t.struct(fieldId)
  if (legacy && stats.max && stats.min) t.binary(1, stats.max).binary(2, stats.min)
  t.i64(3, stats.nullCount)
  if (stats.max && stats.min) t.binary(5, stats.max).binary(6, stats.min)
  t.end()
}

