import type { BlockMeta, DedicatedColumn } from '../core/blocks/block-meta.js'
import { BloomFilter, bloomParameters, bloomShardOf } from '../core/bloom/bloom-filter.js'
import { serializeBlockMeta } from '../core/blocks/meta.js'
import { BlockObjects, type TempoLayout } from '../core/storage/layout.js'
import type { ObjectStore } from '../core/storage/object-store.js'
import { ParquetFileWriter } from './parquet/file-writer.js'
import { dedicatedSlots, type GeneratedFormat } from './tempo/dedicated.js'
import { traceToRowV4 } from './tempo/row-v4.js'
import { traceToRowV5 } from './tempo/row-v5.js'
import { vParquet4Schema, vParquet5Schema } from './tempo/schema.js'
import { materializeTrace, type PlannedBlock } from './tenant-plan.js'

/**
 * Writes one Tempo block in Tempo's order: `data.parquet`, `bloom-N`, `index`, and `meta.json` last
 * (its presence makes the block visible). Rows are materialised one at a time in trace-ID order.
 */

/** Writer settings for one block (Tempo's names in the comments). */
export interface BlockWriteOptions {
  tenant: string
  format: GeneratedFormat
  /** The dedicated columns as stored in the meta (already filtered for the format). */
  dedicatedColumns: DedicatedColumn[]
  /** `parquet_row_group_size_bytes`. */
  rowGroupBytes: number
  /** parquet-go page buffer size. */
  pageBytes: number
  /** `bloom_filter_false_positive`. */
  bloomFalsePositive: number
  /** `bloom_filter_shard_size_bytes`. */
  bloomShardBytes: number
  createdBy: string
}

/** What was written. */
export interface WrittenBlock {
  meta: BlockMeta
  spans: number
  rowGroups: number
}

/** Write `block` into `store`. */
export async function writeBlock(store: ObjectStore, layout: TempoLayout, block: PlannedBlock, options: BlockWriteOptions): Promise<WrittenBlock> {
  const slots = dedicatedSlots(options.format, options.dedicatedColumns)
  const schema = options.format === 'vParquet4' ? vParquet4Schema() : vParquet5Schema(slots)
  const toRow = options.format === 'vParquet4' ? traceToRowV4 : traceToRowV5
  const parts: Uint8Array[] = []
  const writer = new ParquetFileWriter(schema, { rowGroupBytes: options.rowGroupBytes, pageBytes: options.pageBytes, createdBy: options.createdBy, sink: (b) => parts.push(b) })
  const lastIds: Uint8Array[] = []
  let start = 0n
  let end = 0n
  let spans = 0
  let previous: Uint8Array | undefined
  for (const planned of block.traces) {
    const { traceId, trace, spanCount } = materializeTrace(planned)
    spans += spanCount
    for (const rs of trace.resourceSpans ?? [])
      for (const ss of rs.scopeSpans ?? [])
        for (const span of ss.spans ?? []) {
          if (start === 0n || span.startTimeUnixNano < start) start = span.startTimeUnixNano
          if (span.endTimeUnixNano > end) end = span.endTimeUnixNano
        }
    if (writer.writeRow(toRow(traceId, trace, slots))) lastIds.push(traceId)
    previous = traceId
  }
  if (writer.bufferedRows > 0 && previous) lastIds.push(previous)
  const result = writer.finish()
  const data = concat(parts, result.size)
  parts.length = 0

  const ids = block.traces.map((t) => t.traceId)
  const bloom = bloomParameters(ids.length, options.bloomFalsePositive, options.bloomShardBytes)
  const shards = Array.from({ length: bloom.shards }, () => BloomFilter.create(bloom.m, bloom.k))
  for (const id of ids) shards[bloomShardOf(id, bloom.shards)]!.add(id)

  const key = (name: string) => layout.blockObject(options.tenant, block.blockId, name)
  await store.put(key(BlockObjects.data), data)
  for (const [n, shard] of shards.entries()) await store.put(key(BlockObjects.bloom(n)), shard.serialize())
  const index = `{"rowGroups":[${lastIds.map((id) => `"${Buffer.from(id).toString('base64')}"`).join(',')}]}`
  await store.put(key(BlockObjects.index), new TextEncoder().encode(index))
  const meta: BlockMeta = {
    format: options.format,
    blockId: block.blockId,
    tenantId: options.tenant,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    totalObjects: block.traces.length,
    size: result.size,
    compactionLevel: 0,
    totalRecords: result.rowGroups.length,
    bloomShards: bloom.shards,
    footerSize: result.footerSize,
    dedicatedColumns: options.dedicatedColumns,
    replicationFactor: 1,
  }
  await store.put(key(BlockObjects.meta), new TextEncoder().encode(serializeBlockMeta(meta)), { contentType: 'application/json' })
  return { meta, spans, rowGroups: result.rowGroups.length }
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
