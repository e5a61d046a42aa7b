import { describeError } from '../contract/errors.js'
import type { ByteRange } from '../storage/object-store.js'
import { assembleRows, closeOverMaps, type ParquetRowObject } from './assemble-rows.js'
import type { ParquetBlockFile, PageSpan } from './block-file.js'
import type { LeafColumn } from './columns.js'
import type { RowLocation } from './locate.js'
import type { DecodedPage } from './page-decoder.js'
import { emptySlice, sliceRows, type RowSlice } from './row-slice.js'
import { LeafFeed, feedBuffers, planAssembly, type LeafRun } from './leaf-feed.js'

/** Decides which leaf columns a reader needs, by `path_in_schema`. */
export type ColumnPredicate = (path: readonly string[]) => boolean

/** The leaves of the file that `wantsColumn` selects (maps are completed so they can be assembled). */
export function selectLeaves(file: ParquetBlockFile, wantsColumn: ColumnPredicate): LeafColumn[] {
  const wanted = new Set(file.leaves.filter((leaf) => wantsColumn(leaf.path)).map((leaf) => leaf.path.join('.')))
  const closed = closeOverMaps(file.footer.schema, wanted)
  return file.leaves.filter((leaf) => closed.has(leaf.path.join('.')))
}

/** Rows each leaf adds before the next leaf's turn (see LeafFeed). */
const ROWS_PER_ROUND = 1

interface PagePick {
  leaf: LeafColumn
  rowGroup: number
  span: PageSpan
}

/** Receives each wanted row once it is complete, with its position in the `locations` given. */
export type RowConsumer = (row: ParquetRowObject, index: number) => void

/**
 * Read just the given rows: for every selected leaf, the offset index names the pages holding the rows;
 * those pages plus each chunk's dictionary page are fetched in one coalesced round, each page is decoded
 * once, and only the wanted rows' levels and values are assembled (straight into the row objects; a
 * column our assembler does not model goes through hyparquet's).
 * Returns one object per location, in the order given; equal to what `parquetReadObjects({ utf8: false })`
 * returns for those rows restricted to the selected columns. The rows are read-only: every empty list
 * in them is one shared frozen array.
 */
export async function readRows(file: ParquetBlockFile, locations: readonly RowLocation[], leaves: readonly LeafColumn[]): Promise<ParquetRowObject[]> {
  const rows = new Array<ParquetRowObject>(locations.length)
  await readRowsEach(file, locations, leaves, (row, index) => {
    rows[index] = row
  })
  return rows
}

/**
 * `readRows`, handing each row to `consume` as soon as it is assembled (in file order) and then letting
 * go of it: a caller that converts rows one by one keeps only one row's objects alive at a time, which
 * spares the garbage collector copying every row object of a large read.
 */
export async function readRowsEach(file: ParquetBlockFile, locations: readonly RowLocation[], leaves: readonly LeafColumn[], consume: RowConsumer): Promise<void> {
  if (locations.length === 0) return
  if (leaves.length === 0) return locations.forEach((_, i) => consume({}, i))
  const order = locations.map((location, index) => ({ ...location, index })).sort((a, b) => a.fileRow - b.fileRow)
  const rowsByGroup = new Map<number, number[]>()
  for (const loc of order) {
    const rows = rowsByGroup.get(loc.rowGroup) ?? []
    rows.push(loc.row)
    rowsByGroup.set(loc.rowGroup, rows)
  }

  await fetchOffsetIndexes(file, rowsByGroup.keys(), leaves)
  const picks: PagePick[] = []
  const ranges: ByteRange[] = []
  for (const [rowGroup, rows] of rowsByGroup) {
    for (const leaf of leaves) {
      let needed = false
      for (const span of file.pageSpans(rowGroup, leaf)) {
        if (!rows.some((row) => span.firstRow <= row && row < span.endRow)) continue
        picks.push({ leaf, rowGroup, span })
        // Pages an earlier read left decoded (it straddled into these rows) need no bytes.
        if (file.holdsPage(span)) continue
        ranges.push({ start: span.offset, end: span.offset + span.length })
        needed = true
      }
      const dictionary = needed ? file.dictionaryRange(rowGroup, leaf) : undefined
      if (dictionary && !file.holdsDictionary(dictionary.start)) ranges.push(dictionary)
    }
  }
  await file.fetch(ranges)

  const plan = planAssembly(file.footer.schema, leaves)
  const rows: (ParquetRowObject | undefined)[] = order.map(() => ({ ...plan.rowTemplate }))
  const feeds: LeafFeed[] = []
  const fallback = new Map<LeafColumn, RowSlice>()
  const picksOf = new Map<LeafColumn, PagePick[]>()
  for (const pick of picks) {
    const list = picksOf.get(pick.leaf)
    if (list) list.push(pick)
    else picksOf.set(pick.leaf, [pick])
  }
  for (const leaf of leaves) {
    const runs = leafRuns(file, leaf, rowsByGroup, picksOf.get(leaf) ?? [])
    const steps = plan.steps.get(leaf)
    if (steps) feeds.push(new LeafFeed(file, leaf, steps, runs, rows, feedBuffers(feeds.length)))
    else fallback.set(leaf, sliceLeaf(file, leaf, runs))
  }
  if (fallback.size > 0) {
    // hyparquet assembles whole columns: its fields are merged in first, and rows are handed out at the end.
    let assembled: ParquetRowObject[]
    try {
      assembled = assembleRows(file.footer.schema, fallback, order.length)
    } catch (error) {
      throw file.corrupt(`rows do not assemble: ${describeError(error)}`, error)
    }
    assembled.forEach((row, i) => Object.assign(rows[i]!, row))
  }
  const streaming = fallback.size === 0
  for (let done = 0; done < rows.length; done += ROWS_PER_ROUND) {
    const count = Math.min(ROWS_PER_ROUND, rows.length - done)
    for (const feed of feeds) feed.feed(count)
    if (streaming) for (let i = done; i < done + count; i++) handOver(i)
  }
  for (const feed of feeds) feed.finish()
  if (!streaming) for (let i = 0; i < rows.length; i++) handOver(i)
  file.counters.rowsDecoded += order.length

  function handOver(i: number) {
    consume(rows[i]!, order[i]!.index)
    rows[i] = undefined
  }
}

/**
 * Make sure the offset indexes of `leaves` in `rowGroups` are at hand: a no-op when locate prefetched
 * them (the usual case); otherwise one extra round for all of them.
 */
export async function fetchOffsetIndexes(file: ParquetBlockFile, rowGroups: Iterable<number>, leaves: readonly LeafColumn[]): Promise<void> {
  const ranges: ByteRange[] = []
  for (const rowGroup of rowGroups) {
    for (const leaf of leaves) {
      const range = file.offsetIndexRange(rowGroup, leaf)
      if (range) ranges.push(range)
    }
  }
  await file.fetch(ranges)
}

/** Runs of consecutive wanted rows inside one page of `leaf` (whose page picks are `picks`), in row order. */
function leafRuns(file: ParquetBlockFile, leaf: LeafColumn, rowsByGroup: ReadonlyMap<number, number[]>, picks: readonly PagePick[]): LeafRun[] {
  const runs: LeafRun[] = []
  for (const [rowGroup, rows] of rowsByGroup) {
    const pages = picks.filter((p) => p.rowGroup === rowGroup).flatMap((p) => file.decodedPages(rowGroup, leaf, p.span))
    let page: DecodedPage | undefined
    for (let i = 0; i < rows.length; ) {
      const row = rows[i]!
      if (!page || row < page.firstRow || row >= page.firstRow + page.rowCount) page = pages.find((pg) => pg.firstRow <= row && row < pg.firstRow + pg.rowCount)
      if (!page) throw file.corrupt(`column ${leaf.path.join('.')} has no page holding row ${row} of row group ${rowGroup}`)
      let end = i + 1
      while (end < rows.length && rows[end] === rows[end - 1]! + 1 && rows[end]! < page.firstRow + page.rowCount) end++
      runs.push({ page, rowGroup, row, rowEnd: rows[end - 1]! + 1 })
      i = end
    }
  }
  return runs
}

/** The leaf's levels and converted values of every run, for hyparquet's assembly. */
function sliceLeaf(file: ParquetBlockFile, leaf: LeafColumn, runs: readonly LeafRun[]): RowSlice {
  const out = emptySlice()
  for (const { page, rowGroup, row, rowEnd } of runs) {
    try {
      sliceRows(page, row - page.firstRow, rowEnd - page.firstRow, leaf, out)
    } catch (error) {
      throw file.corrupt(`row ${row} of ${leaf.path.join('.')} in row group ${rowGroup} does not decode: ${describeError(error)}`, error)
    }
  }
  return out
}
