import type { ByteRange } from '../storage/object-store.js'
import { chunkOf, type LeafColumn } from './columns.js'
import type { ParquetBlockFile, PageSpan } from './block-file.js'
import { bytesToLatin1 } from './latin1.js'
import { LevelRun } from './page-levels.js'
import { int32At } from './plain-values.js'

/** Where a trace ID's row is. */
export interface RowLocation {
  rowGroup: number
  /** Row inside the row group. */
  row: number
  /** Absolute row in the file. */
  fileRow: number
}

/** Options of `locateTraceRows`. */
export interface LocateOptions {
  /** Leaves whose offset indexes to prefetch in the same round trip (the columns the rows will need). */
  prefetchOffsetIndexesOf?: readonly LeafColumn[]
  /**
   * A TraceID chunk whose single data page (or total size up to this many bytes) is fetched whole in the
   * page-index round, saving a round trip. Default 64 KiB.
   */
  wholeChunkBytes?: number
  /** False: always read the page index first and then only the candidate TraceID pages. Default true. */
  fetchWholeSmallChunks?: boolean
}

const TRACE_ID_PATH = ['TraceID']

/**
 * Find the row of each trace ID (16-byte IDs, compared as latin1 strings, i.e. unsigned byte order):
 * candidate row groups from the TraceID chunk statistics (never the meta's minID/maxID), then the TraceID
 * column index picks candidate pages, whose values are scanned for the first exact match. Page indexes of
 * every candidate row group (and the offset indexes of `prefetchOffsetIndexesOf`) are fetched in one
 * coalesced round; TraceID pages not fetched with them in a second. Returns latin1 ID to location.
 */
export async function locateTraceRows(file: ParquetBlockFile, ids: readonly Uint8Array[], options: LocateOptions = {}): Promise<Map<string, RowLocation>> {
  const traceId = file.leaf(TRACE_ID_PATH)
  if (!traceId) throw file.corrupt('has no TraceID column')
  const wanted = ids.map(bytesToLatin1)
  const wholeChunkBytes = options.wholeChunkBytes ?? 64 * 1024
  const groups = file.footer.metadata.row_groups
  const candidates = new Map<number, string[]>()
  let groupsWithoutStats = 0
  groups.forEach((_, rowGroup) => {
    const stats = chunkOf(file.footer, rowGroup, traceId).statistics
    // Only the new min_value/max_value: the deprecated min/max of BYTE_ARRAY may use signed byte order.
    const min = bound(stats?.min_value)
    const max = bound(stats?.max_value)
    if (min === undefined || max === undefined) groupsWithoutStats++
    const inGroup = wanted.filter((id) => (min === undefined || min <= id) && (max === undefined || id <= max))
    if (inGroup.length > 0) candidates.set(rowGroup, inGroup)
  })
  const located = new Map<string, RowLocation>()
  if (candidates.size === 0) return located

  // Round 1: page indexes (+ small TraceID chunks whole).
  const round1: ByteRange[] = []
  for (const rowGroup of candidates.keys()) {
    const columnIndex = file.columnIndexRange(rowGroup, traceId)
    const offsetIndex = file.offsetIndexRange(rowGroup, traceId)
    if (columnIndex) round1.push(columnIndex)
    if (offsetIndex) round1.push(offsetIndex)
    for (const leaf of options.prefetchOffsetIndexesOf ?? []) {
      const range = file.offsetIndexRange(rowGroup, leaf)
      if (range) round1.push(range)
    }
    const meta = chunkOf(file.footer, rowGroup, traceId)
    const dataPages = meta.encoding_stats?.filter((s) => s.page_type === 'DATA_PAGE' || s.page_type === 'DATA_PAGE_V2').reduce((n, s) => n + s.count, 0)
    const small = dataPages === 1 || Number(meta.total_compressed_size) <= wholeChunkBytes
    // Without chunk statistics every row group is a candidate: then let the column index pick pages
    // rather than fetch every group's TraceID chunk.
    const likelyHit = groupsWithoutStats === 0 || candidates.size === 1
    if (!offsetIndex || (small && likelyHit && options.fetchWholeSmallChunks !== false)) round1.push(file.chunkRange(rowGroup, traceId))
  }
  await file.fetch(round1)

  // Round 2: candidate TraceID pages not fetched yet.
  const pagesToScan: { rowGroup: number; span: PageSpan; ids: Set<string> }[] = []
  for (const [rowGroup, inGroup] of candidates) {
    const spans = file.pageSpans(rowGroup, traceId)
    const index = file.columnIndex(rowGroup, traceId)
    const usable = index !== undefined && index.min_values.length === spans.length
    spans.forEach((span, p) => {
      if (usable && index.null_pages[p]) return
      // ColumnIndex bounds are truncated to 16 bytes (the whole ID) and truncated maxima are rounded up.
      const min = usable ? bound(index.min_values[p]) : undefined
      const max = usable ? bound(index.max_values[p]) : undefined
      const ids = inGroup.filter((id) => (min === undefined || min <= id) && (max === undefined || id <= max))
      if (ids.length > 0) pagesToScan.push({ rowGroup, span, ids: new Set(ids) })
    })
  }
  const round2: ByteRange[] = pagesToScan.map(({ span }) => ({ start: span.offset, end: span.offset + span.length }))
  for (const rowGroup of new Set(pagesToScan.map((p) => p.rowGroup))) {
    const dictionary = file.dictionaryRange(rowGroup, traceId)
    if (dictionary) round2.push(dictionary)
  }
  await file.fetch(round2)

  const levels = new LevelRun()
  const values: unknown[] = []
  for (const { rowGroup, span, ids } of pagesToScan) {
    const found = (id: string, row: number) => {
      if (ids.has(id) && !located.has(id)) located.set(id, { rowGroup, row, fileRow: file.rowGroupStarts[rowGroup]! + row })
    }
    for (const page of file.decodedPages(rowGroup, traceId, span)) {
      if (page.rowCount === 0) continue
      const { values: pageValues, firstRow } = page
      if (pageValues.scanBytes && traceId.maxDefinitionLevel === 0) {
        // Compare the IDs where they lie: a 4-byte prefix test first, a string only for the rare candidates.
        const prefixes = new Set([...ids].map((id) => latin1Prefix(id)))
        const base = page.levels.valueOf(0)
        pageValues.scanBytes(base, base + page.rowCount, (source, start, end, index) => {
          if (end - start === ID_BYTES && prefixes.has(int32At(source, start))) found(bytesToLatin1(source.subarray(start, end)), firstRow + index - base)
        })
        continue
      }
      page.levels.readRows(0, page.rowCount, levels)
      pageValues.read(levels.valueStart, levels.valueStart + levels.values, values, 0)
      const nullable = traceId.maxDefinitionLevel > 0
      for (let i = 0, v = 0; i < page.rowCount; i++) {
        // A null ID (possible only if a writer made TraceID optional) matches nothing.
        if (nullable && levels.definition[i] !== traceId.maxDefinitionLevel) continue
        const raw = values[v++]
        if (raw instanceof Uint8Array) found(bytesToLatin1(raw), firstRow + i)
      }
    }
  }
  return located
}

const ID_BYTES = 16

/** The first four bytes of a latin1 ID as `int32At` reads them from bytes. */
function latin1Prefix(id: string): number {
  return id.charCodeAt(0) | (id.charCodeAt(1) << 8) | (id.charCodeAt(2) << 16) | (id.charCodeAt(3) << 24)
}

/** A latin1 statistics bound, or undefined when absent or not binary (then it prunes nothing). */
function bound(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}
