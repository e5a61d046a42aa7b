import type { AsyncBuffer, FileMetaData } from 'hyparquet'
import { parquetMetadataAsync, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import type { ObjectStore } from '../../functions/core/storage/object-store.js'
import { openBenchStore, type ScenarioResult, type ScenarioSpec } from '../common.js'
import { locateWantedRows } from '../locate-rows.js'

/** hyparquet's byte source over our store: every slice is one ranged GET. */
function storeBuffer(store: ObjectStore, key: string, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const bytes = await store.get(key, { start, end: end ?? size })
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
    },
  }
}

/**
 * Scenario 4: plain hyparquet, `parquetReadObjects` per wanted row (row range + offset index) through
 * the counting store. Row numbers come from our locate step (not counted: a naive user would have to
 * scan the TraceID column too). It decodes whole pages of every column for each row, so only the first
 * `naiveRows` rows are read and the rest is extrapolated (said in the notes).
 */
export async function runNaiveScenario(spec: ScenarioSpec): Promise<ScenarioResult> {
  const { counting } = openBenchStore(spec)
  const located = await locateWantedRows(spec.root, spec.tenant, spec.ids)
  const all = located.flatMap((b) => b.rows.map((r) => ({ block: b, row: r })))
  const limit = Math.min(all.length, spec.naiveRows ?? 3)
  const metadata = new Map<string, FileMetaData>()
  let rowsRead = 0
  const started = performance.now()
  for (const { block, row } of all.slice(0, limit)) {
    const file = storeBuffer(counting, block.key, block.meta.size)
    let meta = metadata.get(block.key)
    if (!meta) {
      meta = await parquetMetadataAsync(file, { initialFetchSize: block.meta.footerSize + 8 })
      metadata.set(block.key, meta)
    }
    const rows = await parquetReadObjects({ file, metadata: meta, rowStart: row.location.fileRow, rowEnd: row.location.fileRow + 1, useOffsetIndex: true, utf8: false, compressors })
    rowsRead += rows.length
  }
  const wallMs = performance.now() - started
  const counts = counting.counts()
  const scale = limit > 0 ? all.length / limit : 0
  return {
    label: spec.label,
    scenario: 'naive',
    store: spec.store,
    ids: spec.ids.length,
    found: rowsRead,
    wallMs: wallMs * scale,
    requests: Math.round(counts.requests * scale),
    bytesRead: Math.round(counts.bytesRead * scale),
    notes: [
      limit < all.length
        ? `extrapolated: read ${limit} of ${all.length} wanted rows (${(wallMs / 1000).toFixed(1)} s, ${counts.requests} requests, ${(counts.bytesRead / 1e6).toFixed(1)} MB), times ${scale.toFixed(1)}`
        : `all ${all.length} wanted rows read`,
      'rows only (no conversion to OTLP, no combining)',
    ],
  }
}
