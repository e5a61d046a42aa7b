import { ColumnWriter } from './column-writer.js'
import { encodeColumnIndex, encodeFileMetaData, encodeOffsetIndex, type ChunkPlacement, type RowGroupPlacement } from './file-metadata.js'
import { leafColumns, type LeafColumn, type MessageSchema } from './schema.js'
import { compileShredder } from './shredder.js'

/**
 * A streaming parquet writer shaped like parquet-go's output: rows are shredded into per-column page
 * buffers, pages are cut at row ends when their buffered size reaches `pageBytes`, a row group is
 * flushed (its bytes handed to `sink`) when its estimated size reaches `rowGroupBytes`; the page index
 * (all ColumnIndexes, then all OffsetIndexes) and the footer follow the last row group. Memory is
 * bounded by one row group.
 */

/** Writer options. */
export interface ParquetWriterOptions {
  /** Flush a row group once its estimated bytes reach this (Tempo: 100 MB). */
  rowGroupBytes: number
  /** Cut a page once its buffered values and levels reach this (parquet-go: 256 KiB). */
  pageBytes: number
  createdBy: string
  /** Receives the file's bytes in order. */
  sink: (bytes: Uint8Array) => void
}

/** What the footer says, for metas and indexes. */
export interface ParquetWriteResult {
  size: number
  footerSize: number
  rowGroups: { numRows: number }[]
}

const MAGIC = new TextEncoder().encode('PAR1')

/** Streams rows into one parquet file. */
export class ParquetFileWriter {
  readonly columns: LeafColumn[]
  private readonly writers: ColumnWriter[]
  private readonly shred: (row: unknown) => void
  private readonly rowGroups: RowGroupPlacement[] = []
  private offset = 0
  private rowsInGroup = 0
  private finished = false

  constructor(
    private readonly schema: MessageSchema,
    private readonly options: ParquetWriterOptions,
  ) {
    this.columns = leafColumns(schema)
    this.writers = this.columns.map((c) => new ColumnWriter(c, options.pageBytes))
    this.shred = compileShredder(schema, this.writers)
    this.emit(MAGIC)
  }

  private emit(bytes: Uint8Array): void {
    this.options.sink(bytes)
    this.offset += bytes.length
  }

  /** Rows in the open row group. */
  get bufferedRows(): number {
    return this.rowsInGroup
  }

  /** Append one row; returns true when this row closed a row group. */
  writeRow(row: unknown): boolean {
    if (this.finished) throw new Error('parquet writer: write after finish')
    this.shred(row)
    let size = 0
    for (const w of this.writers) {
      w.endRow()
      size += w.estimatedSize
    }
    this.rowsInGroup++
    if (size >= this.options.rowGroupBytes) {
      this.flushRowGroup()
      return true
    }
    return false
  }

  /** Write the open row group (no-op when empty). */
  flushRowGroup(): void {
    if (this.rowsInGroup === 0) return
    const chunks: ChunkPlacement[] = []
    for (const w of this.writers) {
      const chunk = w.finishChunk()
      chunks.push({ column: w.column, chunk, start: this.offset })
      this.emit(chunk.bytes)
      // The page index needs only the page records; drop the chunk bytes now.
      chunk.bytes = new Uint8Array(0)
    }
    this.rowGroups.push({ numRows: this.rowsInGroup, chunks })
    this.rowsInGroup = 0
  }

  /** Flush, write the page index and the footer. */
  finish(): ParquetWriteResult {
    this.flushRowGroup()
    this.finished = true
    for (const rg of this.rowGroups) {
      for (const c of rg.chunks) {
        const bytes = encodeColumnIndex(c.chunk.pages, true)
        c.columnIndexOffset = this.offset
        c.columnIndexLength = bytes.length
        this.emit(bytes)
      }
    }
    for (const rg of this.rowGroups) {
      for (const c of rg.chunks) {
        const bytes = encodeOffsetIndex(c.chunk.pages, c.start)
        c.offsetIndexOffset = this.offset
        c.offsetIndexLength = bytes.length
        this.emit(bytes)
      }
    }
    const footer = encodeFileMetaData(this.schema, this.rowGroups, this.options.createdBy)
    this.emit(footer)
    const trailer = new Uint8Array(8)
    new DataView(trailer.buffer).setUint32(0, footer.length, true)
    trailer.set(MAGIC, 4)
    this.emit(trailer)
    return { size: this.offset, footerSize: footer.length, rowGroups: this.rowGroups.map((rg) => ({ numRows: rg.numRows })) }
  }
}
