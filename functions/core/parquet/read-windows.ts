import type { ByteRange } from '../storage/object-store.js'
import type { ParquetBlockFile, PageSpan } from './block-file.js'
import type { LeafColumn } from './columns.js'
import type { RowLocation } from './locate.js'

/** Rows read together, and the byte ranges of the pages (and dictionaries) they are first to need. */
export interface ReadWindow {
  /** Indexes into the locations given to `planReadWindows`. */
  rows: number[]
  ranges: ByteRange[]
}

/**
 * Split rows (ascending by file row) into windows whose pages not yet decoded add up to about
 * `budgetBytes` of compressed data, so a caller that reads window after window (letting pages behind it
 * go) holds one window's decoded pages, whatever the row group and page sizes. A row whose own pages
 * exceed the budget is a window alone. Pages an earlier window decodes and a later row also needs count
 * once, in the window that first needs them (so a caller may fetch a window's ranges ahead of reading
 * it). Chunks without an offset index make one window with no ranges: their pages are only found by
 * decoding the chunk from its start, which the read fetches itself.
 */
export function planReadWindows(file: ParquetBlockFile, locations: readonly RowLocation[], leaves: readonly LeafColumn[], budgetBytes: number): ReadWindow[] {
  if (locations.length === 0) return []
  const spansOf = new Map<string, readonly PageSpan[]>()
  const dictionaries = new Set<string>()
  const counted = new Set<number>()
  const windows: ReadWindow[] = []
  let current: ReadWindow = { rows: [], ranges: [] }
  let currentBytes = 0
  for (let i = 0; i < locations.length; i++) {
    const { rowGroup, row } = locations[i]!
    let added = 0
    const pages: number[] = []
    const ranges: ByteRange[] = []
    for (const leaf of leaves) {
      const key = `${rowGroup}:${leaf.index}`
      let spans = spansOf.get(key)
      if (!spans) {
        spans = file.pageSpans(rowGroup, leaf)
        if (spans.length === 1 && !file.offsetIndexRange(rowGroup, leaf)) return [{ rows: locations.map((_, k) => k), ranges: [] }]
        spansOf.set(key, spans)
      }
      const span = spanHolding(spans, row)
      if (!span || counted.has(span.offset) || file.holdsPage(span)) continue
      pages.push(span.offset)
      ranges.push({ start: span.offset, end: span.offset + span.length })
      added += span.length
      if (!dictionaries.has(key)) {
        dictionaries.add(key)
        const dictionary = file.dictionaryRange(rowGroup, leaf)
        if (dictionary && !file.holdsDictionary(dictionary.start)) {
          ranges.push(dictionary)
          added += dictionary.end - dictionary.start
        }
      }
    }
    if (current.rows.length > 0 && currentBytes + added > budgetBytes) {
      windows.push(current)
      current = { rows: [], ranges: [] }
      currentBytes = 0
    }
    current.rows.push(i)
    current.ranges.push(...ranges)
    currentBytes += added
    for (const offset of pages) counted.add(offset)
  }
  windows.push(current)
  return windows
}

// Spans are in row order; binary search for the one holding `row`.
function spanHolding(spans: readonly PageSpan[], row: number): PageSpan | undefined {
  let low = 0
  let high = spans.length - 1
  while (low <= high) {
    const mid = (low + high) >> 1
    const span = spans[mid]!
    if (row < span.firstRow) high = mid - 1
    else if (row >= span.endRow) low = mid + 1
    else return span
  }
  return undefined
}

/** Consecutive read windows whose pages are fetched in one round (one coalesced set of GETs). */
export interface FetchRound {
  windows: ReadWindow[]
  ranges: ByteRange[]
}

/**
 * Group windows into fetch rounds of about `budgetBytes` of compressed pages: decoding wants small
 * windows (memory), fetching wants large rounds (ranges of neighbouring rows coalesce into one GET).
 */
export function groupFetchRounds(windows: readonly ReadWindow[], budgetBytes: number): FetchRound[] {
  const rounds: FetchRound[] = []
  let current: FetchRound | undefined
  let bytes = 0
  for (const window of windows) {
    const size = window.ranges.reduce((n, r) => n + r.end - r.start, 0)
    if (!current || (current.windows.length > 0 && bytes + size > budgetBytes)) {
      current = { windows: [], ranges: [] }
      rounds.push(current)
      bytes = 0
    }
    current.windows.push(window)
    current.ranges.push(...window.ranges)
    bytes += size
  }
  return rounds
}
