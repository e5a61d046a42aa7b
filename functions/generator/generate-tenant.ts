import type { BlockMeta, DedicatedColumn } from '../core/blocks/block-meta.js'
import { encodeTenantIndexJson, encodeTenantIndexProto } from '../core/blocks/tenant-index.js'
import { TempoLayout, TenantIndexObjects, validateTenant } from '../core/storage/layout.js'
import type { ObjectStore } from '../core/storage/object-store.js'
import { InvalidRequestError } from '../core/contract/errors.js'
import { traceIdToHex } from '../core/contract/trace-id.js'
import { writeBlock } from './block-writer.js'
import { DEFAULT_DEDICATED_COLUMNS, dedicatedColumnsForFormat, type GeneratedFormat } from './tempo/dedicated.js'
import { planTenant, type TenantPlanOptions } from './tenant-plan.js'

/**
 * `generateTenant`: a whole tenant of Tempo-compatible blocks plus its tenant index, block by block
 * (memory bounded by one block's parquet file), deterministic for a seed.
 */

/** Options of `generateTenant` (defaults are Tempo's, except the block count and size). */
export interface GenerateTenantOptions extends Omit<TenantPlanOptions, 'seed'> {
  tenant: string
  seed?: number
  format?: GeneratedFormat
  /** Configured dedicated columns; each format keeps what it supports (default: Tempo's defaults plus extras of every kind). */
  dedicatedColumns?: DedicatedColumn[]
  /** Default 100,000,000 (Tempo `parquet_row_group_size_bytes`). */
  rowGroupBytes?: number
  /** Default 262,144 (parquet-go page buffer). */
  pageBytes?: number
  /** Default 0.01. */
  bloomFalsePositive?: number
  /** Default 102,400 (100 KiB). */
  bloomShardBytes?: number
  /** Key prefix inside the store. */
  prefix?: string
  /** Tenant-index `created_at` (default: now). */
  now?: Date
  /** Called after each block. */
  onBlock?: (block: GeneratedBlockSummary) => void
  /** Blocks already in the tenant that the new tenant index must keep listing (`generate --append`). */
  keepMetas?: BlockMeta[]
}

/** One generated block. */
export interface GeneratedBlockSummary {
  blockId: string
  traces: number
  spans: number
  rowGroups: number
  bytes: number
}

/** What `generateTenant` wrote. */
export interface GeneratedTenantSummary {
  tenant: string
  format: GeneratedFormat
  seed: number
  blocks: GeneratedBlockSummary[]
  metas: BlockMeta[]
  /** Rows over all blocks (a replicated or split trace counts once per block). */
  rows: number
  /** Distinct trace IDs. */
  traces: number
  spans: number
  bytes: number
  /** Every distinct trace ID written (32 lowercase hex, ascending). */
  traceIds: string[]
  /** Hex IDs written whole into two blocks. */
  replicatedTraceIds: string[]
  /** Hex IDs split into partial traces over two blocks. */
  splitTraceIds: string[]
  elapsedMs: number
  /** Spans per minute of wall time. */
  spansPerMinute: number
  /** CPU time of this process while generating (user + system, all threads). */
  cpuMs: number
  /** Spans per minute of CPU time: the fair speed figure on a shared machine. */
  spansPerCpuMinute: number
}

/** Generate a tenant into `store`. */
export async function generateTenant(store: ObjectStore, options: GenerateTenantOptions): Promise<GeneratedTenantSummary> {
  const started = performance.now()
  const cpuStart = process.cpuUsage()
  const tenant = validateTenant(options.tenant)
  const format = options.format ?? 'vParquet4'
  const seed = options.seed ?? 1
  const layout = new TempoLayout(options.prefix ?? '')
  const stored = dedicatedColumnsForFormat(format, options.dedicatedColumns ?? DEFAULT_DEDICATED_COLUMNS)
  const plan = planTenant({ ...options, seed })
  const kept = options.keepMetas ?? []
  const clash = plan.find((block) => kept.some((meta) => meta.blockId === block.blockId))
  if (clash) throw new InvalidRequestError('seed', `${seed} would rewrite block ${clash.blockId} that the tenant has already; pick another seed`)
  const seen = new Map<string, { whole: number; parts: number }>()
  for (const block of plan)
    for (const t of block.traces) {
      const hex = traceIdToHex(t.traceId)
      const entry = seen.get(hex) ?? { whole: 0, parts: 0 }
      if (t.part) entry.parts++
      else entry.whole++
      seen.set(hex, entry)
    }
  const blocks: GeneratedBlockSummary[] = []
  const metas: BlockMeta[] = []
  for (const block of plan) {
    const written = await writeBlock(store, layout, block, {
      tenant,
      format,
      dedicatedColumns: stored,
      rowGroupBytes: options.rowGroupBytes ?? 100_000_000,
      pageBytes: options.pageBytes ?? 262_144,
      bloomFalsePositive: options.bloomFalsePositive ?? 0.01,
      bloomShardBytes: options.bloomShardBytes ?? 102_400,
      createdBy: 'github.com/parquet-go/parquet-go version 0.29.0(build )',
    })
    const summary = { blockId: block.blockId, traces: block.traces.length, spans: written.spans, rowGroups: written.rowGroups, bytes: written.meta.size }
    blocks.push(summary)
    metas.push(written.meta)
    options.onBlock?.(summary)
  }
  // Tempo's builder writes the protobuf index first, then the JSON one.
  const index = { createdAt: options.now ?? new Date(), meta: [...kept, ...metas], compacted: [] }
  await store.put(layout.tenantObject(tenant, TenantIndexObjects.protobuf), encodeTenantIndexProto(index))
  await store.put(layout.tenantObject(tenant, TenantIndexObjects.json), encodeTenantIndexJson(index))
  const spans = blocks.reduce((n, b) => n + b.spans, 0)
  const elapsedMs = performance.now() - started
  const cpu = process.cpuUsage(cpuStart)
  const cpuMs = (cpu.user + cpu.system) / 1000
  return {
    tenant,
    format,
    seed,
    blocks,
    metas,
    rows: blocks.reduce((n, b) => n + b.traces, 0),
    traces: seen.size,
    traceIds: [...seen.keys()].sort(),
    spans,
    bytes: blocks.reduce((n, b) => n + b.bytes, 0),
    replicatedTraceIds: [...seen].filter(([, e]) => e.whole > 1).map(([id]) => id),
    splitTraceIds: [...seen].filter(([, e]) => e.parts > 1).map(([id]) => id),
    elapsedMs,
    spansPerMinute: elapsedMs > 0 ? Math.round((spans / elapsedMs) * 60_000) : 0,
    cpuMs,
    spansPerCpuMinute: cpuMs > 0 ? Math.round((spans / cpuMs) * 60_000) : 0,
  }
}
