import type { ColumnIndex, OffsetIndex } from 'hyparquet'
import { readColumnIndex, readOffsetIndex } from 'hyparquet'
import { CorruptBlockError, describeError } from '../contract/errors.js'
import { FetchedRanges, fetchCoalesced, DEFAULT_COALESCE_GAP_BYTES } from '../storage/coalesce.js'
import type { ByteRange } from '../storage/object-store.js'
import { chunkOf, columnDecoder, leafColumns, rowGroupStarts, type LeafColumn } from './columns.js'
import { readParquetFooter, type ParquetFooter, type ParquetObjectRef } from './footer.js'
import { latin1StatParsers } from './latin1.js'
import type { Dictionary } from './dictionary.js'
import { decodeDataPage, decodeDictionaryPage, type DecodedPage } from './page-decoder.js'

/** One data page of a column chunk as the offset index (or the chunk metadata) places it. */
export interface PageSpan {
  offset: number
  length: number
  /** Rows `[firstRow, endRow)` of the row group. */
  firstRow: number
  endRow: number
  /** True when the span is exactly one page (from the offset index), false for a whole chunk without one. */
  onePage: boolean
}

/** Decode work done so far, for statistics. */
export interface DecodeCounters {
  pagesDecoded: number
  rowsDecoded: number
}

/** A decoded data page as the file keeps it: where it lies and which rows of the file it covers. */
interface HeldPage {
  page: DecodedPage
  byteLength: number
  /** File row after the page's last row. */
  endFileRow: number
}

/**
 * One `data.parquet` being read: its footer, the bytes fetched so far (one lookup structure shared by
 * all rounds) and the pages decoded so far, so each page is fetched and decoded at most once per block
 * while rows are read in ascending order; `releaseBefore` lets go of what such reads are past.
 */
export class ParquetBlockFile {
  readonly leaves: LeafColumn[]
  readonly rowGroupStarts: number[]
  readonly fetched: FetchedRanges
  readonly counters: DecodeCounters = { pagesDecoded: 0, rowsDecoded: 0 }
  private readonly offsetIndexes = new Map<string, OffsetIndex | undefined>()
  private readonly spans = new Map<string, PageSpan[]>()
  private readonly dictionaries = new Map<number, { dictionary: Dictionary; endFileRow: number }>()
  private readonly pages = new Map<number, HeldPage>()
  private indexStartOffset: number | undefined

  private constructor(
    readonly ref: ParquetObjectRef,
    readonly footer: ParquetFooter,
    readonly gapBytes: number,
  ) {
    this.leaves = leafColumns(footer)
    this.rowGroupStarts = rowGroupStarts(footer)
    this.fetched = new FetchedRanges(ref.key)
  }

  /** Read the footer (one GET when `size` and `footerSize` are known) and wrap it. */
  static async open(ref: ParquetObjectRef, size: number, footerSize: number, gapBytes = DEFAULT_COALESCE_GAP_BYTES): Promise<ParquetBlockFile> {
    const footer = await readParquetFooter(ref, size, footerSize)
    try {
      return new ParquetBlockFile(ref, footer, gapBytes)
    } catch (error) {
      throw new CorruptBlockError(ref.tenant, ref.blockId, `data.parquet schema is unusable: ${describeError(error)}`, { cause: error })
    }
  }

  /** A CorruptBlockError naming this block. */
  corrupt(reason: string, cause?: unknown): CorruptBlockError {
    return new CorruptBlockError(this.ref.tenant, this.ref.blockId, `data.parquet ${reason}`, cause === undefined ? undefined : { cause })
  }

  /** The leaf whose path is `path`, if the file has it. */
  leaf(path: readonly string[]): LeafColumn | undefined {
    const joined = path.join('.')
    return this.leaves.find((l) => l.path.join('.') === joined)
  }

  /** Fetch ranges (coalesced; one round trip); already-fetched ranges are skipped. */
  async fetch(ranges: ByteRange[]): Promise<void> {
    const end = this.footer.metadataStart
    for (const r of ranges) {
      if (r.start < 0 || r.end > end || r.end < r.start) throw this.corrupt(`points outside its data: bytes [${r.start}, ${r.end})`)
    }
    await fetchCoalesced(this.ref.store, this.ref.key, ranges, { gapBytes: this.gapBytes, into: this.fetched, signal: this.ref.signal })
  }

  /** Byte range of a chunk's offset index, if the file has one. */
  offsetIndexRange(rowGroup: number, leaf: LeafColumn): ByteRange | undefined {
    const chunk = this.footer.metadata.row_groups[rowGroup]!.columns[leaf.index]!
    if (chunk.offset_index_offset === undefined || !chunk.offset_index_length) return undefined
    const start = Number(chunk.offset_index_offset)
    return { start, end: start + chunk.offset_index_length }
  }

  /** Byte range of a chunk's column index, if the file has one. */
  columnIndexRange(rowGroup: number, leaf: LeafColumn): ByteRange | undefined {
    const chunk = this.footer.metadata.row_groups[rowGroup]!.columns[leaf.index]!
    if (chunk.column_index_offset === undefined || !chunk.column_index_length) return undefined
    const start = Number(chunk.column_index_offset)
    return { start, end: start + chunk.column_index_length }
  }

  /** Byte range of a whole column chunk (dictionary page included). */
  chunkRange(rowGroup: number, leaf: LeafColumn): ByteRange {
    const meta = chunkOf(this.footer, rowGroup, leaf)
    const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset)
    return { start, end: start + Number(meta.total_compressed_size) }
  }

  /** Parsed column index (bounds as latin1 strings), or undefined when the file has none. */
  columnIndex(rowGroup: number, leaf: LeafColumn): ColumnIndex | undefined {
    const range = this.columnIndexRange(rowGroup, leaf)
    if (!range) return undefined
    const bytes = this.fetched.read(range.start, range.end)
    try {
      const element = leaf.schemaPath.at(-1)!.element
      return readColumnIndex({ view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 }, element, latin1StatParsers)
    } catch (error) {
      throw this.corrupt(`column index of ${leaf.path.join('.')} in row group ${rowGroup} does not decode`, error)
    }
  }

  /**
   * The data pages of a chunk with their row ranges: from the offset index, or (no index) the whole
   * chunk as one span that is decoded page after page.
   */
  pageSpans(rowGroup: number, leaf: LeafColumn): readonly PageSpan[] {
    const key = `${rowGroup}:${leaf.index}`
    let spans = this.spans.get(key)
    if (!spans) {
      spans = this.listSpans(rowGroup, leaf)
      this.spans.set(key, spans)
    }
    return spans
  }

  private listSpans(rowGroup: number, leaf: LeafColumn): PageSpan[] {
    const rows = Number(this.footer.metadata.row_groups[rowGroup]!.num_rows)
    const index = this.offsetIndex(rowGroup, leaf)
    if (!index) {
      const meta = chunkOf(this.footer, rowGroup, leaf)
      const start = Number(meta.data_page_offset)
      const end = this.chunkRange(rowGroup, leaf).end
      return [{ offset: start, length: end - start, firstRow: 0, endRow: rows, onePage: false }]
    }
    return index.page_locations.map((loc, i, all) => ({
      offset: Number(loc.offset),
      length: loc.compressed_page_size,
      firstRow: Number(loc.first_row_index),
      endRow: i + 1 < all.length ? Number(all[i + 1]!.first_row_index) : rows,
      onePage: true,
    }))
  }

  /** Byte range of a chunk's dictionary page (up to its first data page), if it has one. */
  dictionaryRange(rowGroup: number, leaf: LeafColumn): ByteRange | undefined {
    const meta = chunkOf(this.footer, rowGroup, leaf)
    const firstData = this.pageSpans(rowGroup, leaf)[0]?.offset ?? Number(meta.data_page_offset)
    // Some writers omit dictionary_page_offset; a gap before the first data page is then the dictionary.
    const start = meta.dictionary_page_offset !== undefined ? Number(meta.dictionary_page_offset) : Number(meta.data_page_offset)
    return start < firstData ? { start, end: firstData } : undefined
  }

  /**
   * Decode the pages of `span` (fetched beforehand) once and cache them; a span without an offset index
   * may hold several pages, which are decoded in order.
   */
  decodedPages(rowGroup: number, leaf: LeafColumn, span: PageSpan): DecodedPage[] {
    const cached: DecodedPage[] = []
    const meta = chunkOf(this.footer, rowGroup, leaf)
    const decoder = columnDecoder(leaf, meta.codec)
    let offset = span.offset
    let row = span.firstRow
    const end = span.offset + span.length
    try {
      const groupStart = this.rowGroupStarts[rowGroup]!
      while (offset < end) {
        let held = this.pages.get(offset)
        if (!held) {
          const dictionary = this.dictionary(rowGroup, leaf)
          const rowCountHint = span.onePage ? span.endRow - span.firstRow : undefined
          const decoded = decodeDataPage(this.fetched.read(offset, end), leaf, decoder, dictionary, row, rowCountHint)
          held = { page: decoded.page, byteLength: decoded.byteLength, endFileRow: groupStart + row + decoded.page.rowCount }
          this.pages.set(offset, held)
          this.counters.pagesDecoded++
        }
        cached.push(held.page)
        row += held.page.rowCount
        offset += held.byteLength
      }
    } catch (error) {
      if (error instanceof CorruptBlockError) throw error
      throw this.corrupt(`page of ${leaf.path.join('.')} in row group ${rowGroup} at byte ${offset} does not decode: ${describeError(error)}`, error)
    }
    return cached
  }

  /**
   * Let go of what reads from `fileRow` on will not need: decoded pages and dictionaries that end at or
   * before it, and the fetched data bytes (pages still needed are decoded already; a later read that
   * needs more fetches again). Fetched page indexes stay, and so do pieces overlapping `keep` (bytes
   * fetched ahead for the next read). Rows are what Tempo sorts blocks by (trace ID), so a
   * reader going through IDs in ascending order holds at most the pages its current rows straddle.
   */
  releaseBefore(fileRow: number, keep: readonly ByteRange[] = []): void {
    for (const [offset, held] of this.pages) if (held.endFileRow <= fileRow) this.pages.delete(offset)
    for (const [offset, dictionary] of this.dictionaries) if (dictionary.endFileRow <= fileRow) this.dictionaries.delete(offset)
    const indexStart = this.indexStart()
    this.fetched.release((start, end) => end > indexStart || keep.some((r) => r.start < end && start < r.end))
  }

  /** True when the page `span` names is decoded and held (its bytes need no fetching). */
  holdsPage(span: PageSpan): boolean {
    return this.pages.get(span.offset)?.byteLength === span.length
  }

  /** True when the dictionary page starting at `offset` is decoded and held. */
  holdsDictionary(offset: number): boolean {
    return this.dictionaries.has(offset)
  }

  /** Decoded pages and dictionaries held now (for tests and statistics). */
  get pagesHeld(): number {
    return this.pages.size + this.dictionaries.size
  }

  // Where the page indexes (which stay fetched) begin: a piece reaching into them is kept whole, since
  // a small file's indexes are often coalesced into one GET with its last pages.
  private indexStart(): number {
    if (this.indexStartOffset === undefined) {
      let start = this.footer.metadataStart
      this.footer.metadata.row_groups.forEach((group, rowGroup) => {
        for (const leaf of this.leaves) {
          if (!group.columns[leaf.index]) continue
          for (const range of [this.columnIndexRange(rowGroup, leaf), this.offsetIndexRange(rowGroup, leaf)]) if (range) start = Math.min(start, range.start)
        }
      })
      this.indexStartOffset = start
    }
    return this.indexStartOffset
  }

  private dictionary(rowGroup: number, leaf: LeafColumn): Dictionary | undefined {
    const range = this.dictionaryRange(rowGroup, leaf)
    if (!range) return undefined
    let held = this.dictionaries.get(range.start)
    if (!held) {
      const meta = chunkOf(this.footer, rowGroup, leaf)
      const dictionary = decodeDictionaryPage(this.fetched.read(range.start, range.end), leaf, columnDecoder(leaf, meta.codec))
      held = { dictionary, endFileRow: this.rowGroupStarts[rowGroup]! + Number(this.footer.metadata.row_groups[rowGroup]!.num_rows) }
      this.dictionaries.set(range.start, held)
      this.counters.pagesDecoded++
    }
    return held.dictionary
  }

  private offsetIndex(rowGroup: number, leaf: LeafColumn): OffsetIndex | undefined {
    const cacheKey = `${rowGroup}:${leaf.index}`
    if (this.offsetIndexes.has(cacheKey)) return this.offsetIndexes.get(cacheKey)
    const range = this.offsetIndexRange(rowGroup, leaf)
    let index: OffsetIndex | undefined
    if (range) {
      const bytes = this.fetched.read(range.start, range.end)
      try {
        index = readOffsetIndex({ view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 })
      } catch (error) {
        throw this.corrupt(`offset index of ${leaf.path.join('.')} in row group ${rowGroup} does not decode`, error)
      }
      if (index.page_locations.length === 0) index = undefined
    }
    this.offsetIndexes.set(cacheKey, index)
    return index
  }
}
