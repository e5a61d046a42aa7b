import { FsStore } from '../../functions/adapters/fs-store.js'
import { bloomShardOf } from '../../functions/core/bloom/bloom-filter.js'
import { BlockObjects, TempoLayout } from '../../functions/core/storage/layout.js'
import { parseTraceId } from '../../functions/core/contract/trace-id.js'
import type { ScenarioResult, ScenarioSpec } from '../common.js'
import { locateWantedRows } from '../locate-rows.js'

/** A set of half-open ranges whose union length is what a perfect reader must fetch. */
class RangeUnion {
  private readonly ranges: [number, number][] = []
  add(start: number, end: number): void {
    if (end > start) this.ranges.push([start, end])
  }
  /** Bytes covered at least once. */
  size(): number {
    const sorted = [...this.ranges].sort((a, b) => a[0] - b[0])
    let total = 0
    let [curStart, curEnd] = [-1, -1]
    for (const [s, e] of sorted) {
      if (s > curEnd) {
        total += curEnd - curStart
        ;[curStart, curEnd] = [s, e]
      } else curEnd = Math.max(curEnd, e)
    }
    return total + (curEnd - curStart)
  }
}

/**
 * Scenario 5: the floor, the least any reader of these files can fetch. Per block holding a wanted
 * row: the footer, the TraceID page index and the offset indexes of the columns our reader needs (row
 * groups with wanted rows), the bloom shards of the wanted IDs, and, per needed column, exactly the
 * data pages holding the wanted rows plus their dictionary pages. Blocks without a wanted row cost
 * nothing here (a perfect oracle), so the floor is strict.
 */
export async function runFloorScenario(spec: ScenarioSpec): Promise<ScenarioResult> {
  const store = new FsStore(spec.root)
  const layout = new TempoLayout('')
  const located = await locateWantedRows(spec.root, spec.tenant, spec.ids)
  let footer = 0
  let pageIndex = 0
  let bloom = 0
  let pages = 0
  let found = 0
  for (const block of located) {
    if (block.rows.length === 0) continue
    found += block.rows.length
    footer += block.meta.footerSize + 8
    const { file } = block
    const traceId = file.leaf(['TraceID'])!
    const index = new RangeUnion()
    const data = new RangeUnion()
    const groups = new Map<number, number[]>()
    for (const { location } of block.rows) groups.set(location.rowGroup, [...(groups.get(location.rowGroup) ?? []), location.row])
    for (const [rowGroup, rows] of groups) {
      const ci = file.columnIndexRange(rowGroup, traceId)
      if (ci) index.add(ci.start, ci.end)
      for (const leaf of new Set([traceId, ...block.leaves])) {
        const oi = file.offsetIndexRange(rowGroup, leaf)
        if (oi) index.add(oi.start, oi.end)
      }
      // Offset indexes must be fetched before pageSpans can read them.
      await file.fetch([...block.leaves.map((l) => file.offsetIndexRange(rowGroup, l)).filter((r) => r !== undefined)])
      for (const leaf of block.leaves) {
        const dictionary = file.dictionaryRange(rowGroup, leaf)
        if (dictionary) data.add(dictionary.start, dictionary.end)
        for (const span of file.pageSpans(rowGroup, leaf)) {
          if (rows.some((r) => r >= span.firstRow && r < span.endRow)) data.add(span.offset, span.offset + span.length)
        }
      }
    }
    pageIndex += index.size()
    pages += data.size()
    const shards = new Set(block.rows.map((r) => bloomShardOf(parseTraceId(r.id), block.meta.bloomShards > 0 ? block.meta.bloomShards : 10)))
    for (const shard of shards) bloom += (await store.head(layout.blockObject(spec.tenant, block.meta.blockId, BlockObjects.bloom(shard)))).size
  }
  const total = footer + pageIndex + bloom + pages
  return {
    label: spec.label,
    scenario: 'floor',
    store: spec.store,
    ids: spec.ids.length,
    found,
    bytesRead: total,
    notes: [`footers ${mb(footer)}, page indexes ${mb(pageIndex)}, bloom shards ${mb(bloom)}, data+dictionary pages ${mb(pages)}`],
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(2)} MB`
}
