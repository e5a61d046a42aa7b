import type { FinishedChunk, PageRecord } from './chunk-types.js'
import { CodecId, ConvertedType, PhysicalTypeId, RepetitionId } from './parquet-enums.js'
import { writeStatistics } from './page-header.js'
import type { LeafColumn, MessageSchema, SchemaNode } from './schema.js'
import { truncateMax, truncateMin } from './compare.js'
import { ThriftWriter, TType } from './thrift-writer.js'

/** Thrift encoding of the footer (`FileMetaData`) and the page index (`ColumnIndex`, `OffsetIndex`). */

/** A written column chunk with the absolute offsets the footer needs. */
export interface ChunkPlacement {
  column: LeafColumn
  chunk: FinishedChunk
  /** Absolute file offset of the chunk's first byte. */
  start: number
  columnIndexOffset?: number
  columnIndexLength?: number
  offsetIndexOffset?: number
  offsetIndexLength?: number
}

/** A written row group. */
export interface RowGroupPlacement {
  numRows: number
  chunks: ChunkPlacement[]
}

/** Encode the page-index `ColumnIndex` of one chunk. */
export function encodeColumnIndex(pages: PageRecord[], truncate: boolean): Uint8Array {
  const t = new ThriftWriter()
  t.list(1, TType.TRUE, pages.length)
  for (const p of pages) t.elemBool(p.nullPage)
  t.list(2, TType.BINARY, pages.length)
  for (const p of pages) t.elemBinary(truncate ? truncateMin(p.min) : p.min)
  t.list(3, TType.BINARY, pages.length)
  for (const p of pages) t.elemBinary(truncate ? truncateMax(p.max) : p.max)
  t.i32(4, 0) // UNORDERED, as parquet-go writes for every column
  t.list(5, TType.I64, pages.length)
  for (const p of pages) t.elemI64(p.nullCount)
  // Nested and optional leaves carry per-page level histograms, concatenated (as parquet-go writes them).
  for (const [field, key] of [[6, 'repHistogram'], [7, 'defHistogram']] as const) {
    if (!pages[0]?.[key]) continue
    const flat = pages.flatMap((p) => p[key] ?? [])
    t.list(field, TType.I64, flat.length)
    for (const v of flat) t.elemI64(v)
  }
  t.end()
  return t.out.toBytes()
}

/** Encode the page-index `OffsetIndex` of one chunk placed at `start`. */
export function encodeOffsetIndex(pages: PageRecord[], start: number): Uint8Array {
  const t = new ThriftWriter()
  t.list(1, TType.STRUCT, pages.length)
  for (const p of pages) {
    t.listStruct().i64(1, start + p.offset).i32(2, p.compressedSize).i64(3, p.firstRowIndex).end()
  }
  t.end()
  return t.out.toBytes()
}

/** Encode `FileMetaData`. */
export function encodeFileMetaData(schema: MessageSchema, rowGroups: RowGroupPlacement[], createdBy: string): Uint8Array {
  const t = new ThriftWriter()
  t.i32(1, 2)
  const elements: SchemaNode[] = []
  const counts: number[] = []
  const walk = (n: SchemaNode): void => {
    elements.push(n)
    counts.push(n.children?.length ?? 0)
    for (const c of n.children ?? []) walk(c)
  }
  for (const c of schema.children) walk(c)
  t.list(2, TType.STRUCT, elements.length + 1)
  t.listStruct().string(4, schema.name).i32(5, schema.children.length).end()
  for (const n of elements) writeSchemaElement(t, n)
  let totalRows = 0
  for (const rg of rowGroups) totalRows += rg.numRows
  t.i64(3, totalRows)
  t.list(4, TType.STRUCT, rowGroups.length)
  rowGroups.forEach((rg, ordinal) => writeRowGroup(t, rg, ordinal))
  t.list(5, TType.STRUCT, 0)
  t.string(6, createdBy)
  t.end()
  return t.out.toBytes()
}

function writeSchemaElement(t: ThriftWriter, n: SchemaNode): void {
  t.listStruct()
  if (n.type) {
    t.i32(1, PhysicalTypeId[n.type])
    // parquet-go records the bit width of fixed-size primitives in type_length.
    const width = { BOOLEAN: 1, INT32: 32, INT64: 64, DOUBLE: 64, BYTE_ARRAY: 0 }[n.type]
    if (width) t.i32(2, width)
  }
  t.i32(3, RepetitionId[n.repetition])
  t.string(4, n.name)
  if (n.children) t.i32(5, n.children.length)
  const a = n.annotation
  if (a) {
    const converted = { STRING: ConvertedType.UTF8, MAP: ConvertedType.MAP, LIST: ConvertedType.LIST, INT32: ConvertedType.INT_32, INT64: ConvertedType.INT_64, UINT32: ConvertedType.UINT_32, UINT64: ConvertedType.UINT_64 }[a]
    t.i32(6, converted)
    t.struct(10)
    if (a === 'STRING') t.struct(1).end()
    else if (a === 'MAP') t.struct(2).end()
    else if (a === 'LIST') t.struct(3).end()
    else {
      const bits = a === 'INT32' || a === 'UINT32' ? 32 : 64
      t.struct(10).i8(1, bits).bool(2, a === 'INT32' || a === 'INT64').end()
    }
    t.end()
  }
  t.end()
}

function writeRowGroup(t: ThriftWriter, rg: RowGroupPlacement, ordinal: number): void {
  t.listStruct()
  t.list(1, TType.STRUCT, rg.chunks.length)
  let uncompressed = 0
  let compressed = 0
  for (const c of rg.chunks) {
    uncompressed += c.chunk.uncompressedSize
    compressed += c.chunk.compressedSize
    writeColumnChunk(t, c)
  }
  t.i64(2, uncompressed)
  t.i64(3, rg.numRows)
  t.list(4, TType.STRUCT, 0)
  t.i64(5, rg.chunks[0]?.start ?? 0)
  t.i64(6, compressed)
  t.i16(7, ordinal)
  t.end()
}

function writeColumnChunk(t: ThriftWriter, c: ChunkPlacement): void {
  const { chunk, column } = c
  t.listStruct()
  t.i64(2, 0)
  t.struct(3)
  t.i32(1, PhysicalTypeId[column.type])
  t.list(2, TType.I32, chunk.encodings.length)
  for (const e of chunk.encodings) t.elemI32(e)
  t.list(3, TType.BINARY, column.path.length)
  for (const p of column.path) t.elemString(p)
  t.i32(4, CodecId[column.options.codec ?? 'UNCOMPRESSED'])
  t.i64(5, chunk.numValues)
  t.i64(6, chunk.uncompressedSize)
  t.i64(7, chunk.compressedSize)
  t.i64(9, c.start + chunk.dataPageOffset)
  if (chunk.hasDictionary) t.i64(11, c.start)
  writeStatistics(t, 12, { nullCount: chunk.nullCount, min: chunk.min, max: chunk.max }, false)
  t.list(13, TType.STRUCT, chunk.encodingStats.length)
  for (const s of chunk.encodingStats) t.listStruct().i32(1, s.pageType).i32(2, s.encoding).i32(3, s.count).end()
  if (chunk.unencodedBytes !== undefined || chunk.repHistogram || chunk.defHistogram) {
    t.struct(16)
    if (chunk.unencodedBytes !== undefined) t.i64(1, chunk.unencodedBytes)
    if (chunk.repHistogram) {
      t.list(2, TType.I64, chunk.repHistogram.length)
      for (const v of chunk.repHistogram) t.elemI64(v)
    }
    if (chunk.defHistogram) {
      t.list(3, TType.I64, chunk.defHistogram.length)
      for (const v of chunk.defHistogram) t.elemI64(v)
    }
    t.end()
  }
  t.end()
  if (c.offsetIndexOffset !== undefined) t.i64(4, c.offsetIndexOffset).i32(5, c.offsetIndexLength!)
  if (c.columnIndexOffset !== undefined) t.i64(6, c.columnIndexOffset).i32(7, c.columnIndexLength!)
  t.end()
}
