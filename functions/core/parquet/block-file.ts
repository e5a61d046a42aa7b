import type { ColumnIndex, DecodedArray, OffsetIndex } from 'hyparquet'
import { readColumnIndex, readOffsetIndex } from 'hyparquet'
import { CorruptBlockError, describeError } from '../errors.js'
import { FetchedRanges, fetchCoalesced, DEFAULT_COALESCE_GAP_BYTES } from '../storage/coalesce.js'
import type { ByteRange } from '../storage/object-store.js'
import { chunkOf, columnDecoder, leafColumns, rowGroupStarts, type LeafColumn } from './columns.js'
import { readParquetFooter, type ParquetFooter, type ParquetObjectRef } from './footer.js'
import { latin1StatParsers } from './latin1.js'
import { decodeDataPage, decodeDictionaryPage, type DecodedPage } from './page-decoder.js'

/** One data page of a column chunk as the offset index (or the chunk metadata) places it. */
export interface PageSpan {
  offset: number
  length: number
  /** Rows `[firstRow, endRow)` of the row group. */
  firstRow: number
  endRow: number
}

/** Decode work done so far, for statistics. */
export interface DecodeCounters {
  pagesDecoded: number
  rowsDecoded: number
}

/**
 * One `data.parquet` being read: its footer, every byte fetched so far (one lookup structure shared by
 * all rounds) and every page decoded so far, so each page is fetched and decoded at most once per block.
 */
export class ParquetBlockFile {
  readonly leaves: LeafColumn[]
  readonly rowGroupStarts: number[]
  readonly fetched: FetchedRanges
  readonly counters: DecodeCounters = { pagesDecoded: 0, rowsDecoded: 0 }
  private readonly offsetIndexes = new Map<string, OffsetIndex | undefined>()
  private readonly dictionaries = new Map<number, DecodedArray>()
  private readonly pages = new Map<number, DecodedPage>()
  private readonly pageLengths = new Map<number, number>()

  private constructor(
    private refNow: ParquetObjectRef,
    readonly footer: ParquetFooter,
    readonly gapBytes: number,
  ) {
    this.leaves = leafColumns(footer)
    this.rowGroupStarts = rowGroupStarts(footer)
    this.fetched = new FetchedRanges(refNow.key)
  }

  /** The object this file is read from, with the store and signal of the current reader. */
  get ref(): ParquetObjectRef {
    return this.refNow
  }

  /**
   * Let another call reuse this opened file (footer, fetched bytes, decoded pages): further fetches go
   * through its `store` (e.g. its request counter) and honour its `signal`. The key must be the same.
   */
  rebind(store: ParquetObjectRef['store'], signal: AbortSignal | undefined): void {
    this.refNow = { ...this.refNow, store, signal }
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
  pageSpans(rowGroup: number, leaf: LeafColumn): PageSpan[] {
    const rows = Number(this.footer.metadata.row_groups[rowGroup]!.num_rows)
    const index = this.offsetIndex(rowGroup, leaf)
    if (!index) {
      const meta = chunkOf(this.footer, rowGroup, leaf)
      const start = Number(meta.data_page_offset)
      const end = this.chunkRange(rowGroup, leaf).end
      return [{ offset: start, length: end - start, firstRow: 0, endRow: rows }]
    }
    return index.page_locations.map((loc, i, all) => ({
      offset: Number(loc.offset),
      length: loc.compressed_page_size,
      firstRow: Number(loc.first_row_index),
      endRow: i + 1 < all.length ? Number(all[i + 1]!.first_row_index) : rows,
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
      while (offset < end) {
        let page = this.pages.get(offset)
        let length: number
        if (page) {
          length = this.pageLengths.get(offset)!
        } else {
          const dictionary = this.dictionary(rowGroup, leaf)
          const decoded = decodeDataPage(this.fetched.read(offset, end), leaf, decoder, dictionary, row)
          page = decoded.page
          length = decoded.byteLength
          this.pages.set(offset, page)
          this.pageLengths.set(offset, length)
          this.counters.pagesDecoded++
        }
        cached.push(page)
        row += page.rowCount
        offset += length
      }
    } catch (error) {
      if (error instanceof CorruptBlockError) throw error
      throw this.corrupt(`page of ${leaf.path.join('.')} in row group ${rowGroup} at byte ${offset} does not decode: ${describeError(error)}`, error)
    }
    return cached
  }

  private dictionary(rowGroup: number, leaf: LeafColumn): DecodedArray | undefined {
    const range = this.dictionaryRange(rowGroup, leaf)
    if (!range) return undefined
    let dictionary = this.dictionaries.get(range.start)
    if (!dictionary) {
      const meta = chunkOf(this.footer, rowGroup, leaf)
      dictionary = decodeDictionaryPage(this.fetched.read(range.start, range.end), columnDecoder(leaf, meta.codec))
      this.dictionaries.set(range.start, dictionary)
      this.counters.pagesDecoded++
    }
    return dictionary
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
