import type { Trace } from '../core/otlp/model.js'
import { compareBytes } from '../core/contract/trace-id.js'
import { Prng } from './synth/prng.js'
import { synthesizeTrace, traceIdForSeed } from './synth/trace-synth.js'

/**
 * The deterministic plan of a generated tenant: which trace (by seed) goes into which block, which are
 * replicated into the next block and which are split across two blocks. Holding seeds, not traces,
 * keeps memory small; `materializeTrace` rebuilds any trace (or part) on demand.
 */

/** Options of `planTenant`. */
export interface TenantPlanOptions {
  seed: number
  blocks: number
  tracesPerBlock: number
  /** Share of each block's traces also written whole into the next block (Tempo RF3-style duplicates). */
  replicatedFraction?: number
  /** Share of each block's traces split into two partial traces over this and the next block. */
  splitFraction?: number
  /** Start of the first block's time window (unix ns). */
  startNanos?: bigint
  /** Length of each block's window; consecutive blocks follow each other. */
  blockWindowNanos?: bigint
}

/** One row of a planned block. */
export interface PlannedTrace {
  seed: number
  traceId: Uint8Array
  /** Window the trace was synthesised in (its origin block's). */
  startNanos: bigint
  windowNanos: bigint
  /** Set for partial traces: this row holds part `index` of `of`. */
  part?: { index: number; of: number }
}

/** One planned block, rows sorted by trace ID. */
export interface PlannedBlock {
  index: number
  blockId: string
  traces: PlannedTrace[]
}

/** Default start: 2026-01-15T10:00:00Z. */
export const DEFAULT_START_NANOS = 1_768_471_200_000_000_000n
const DEFAULT_WINDOW = 20n * 60n * 1_000_000_000n

/** Plan the tenant. */
export function planTenant(options: TenantPlanOptions): PlannedBlock[] {
  const rng = new Prng(options.seed)
  const start = options.startNanos ?? DEFAULT_START_NANOS
  const window = options.blockWindowNanos ?? DEFAULT_WINDOW
  const replicated = options.replicatedFraction ?? 0.03
  const split = options.splitFraction ?? 0.03
  const blocks: PlannedBlock[] = []
  for (let b = 0; b < options.blocks; b++) blocks.push({ index: b, blockId: uuidFrom(rng), traces: [] })
  for (let b = 0; b < options.blocks; b++) {
    const next = blocks[(b + 1) % options.blocks]!
    const startNanos = start + BigInt(b) * window
    for (let t = 0; t < options.tracesPerBlock; t++) {
      const seed = rng.uint32()
      const row: PlannedTrace = { seed, traceId: traceIdForSeed(seed), startNanos, windowNanos: window }
      const roll = rng.next()
      if (options.blocks > 1 && roll < split) {
        blocks[b]!.traces.push({ ...row, part: { index: 0, of: 2 } })
        next.traces.push({ ...row, part: { index: 1, of: 2 } })
      } else {
        blocks[b]!.traces.push(row)
        if (options.blocks > 1 && roll < split + replicated) next.traces.push(row)
      }
    }
  }
  for (const block of blocks) block.traces.sort((x, y) => compareBytes(x.traceId, y.traceId))
  return blocks
}

/** The trace (or partial trace) a planned row holds. */
export function materializeTrace(row: PlannedTrace): { traceId: Uint8Array; trace: Trace; spanCount: number } {
  const whole = synthesizeTrace(row.seed, { startNanos: row.startNanos, windowNanos: row.windowNanos })
  if (!row.part) return whole
  const trace = splitTrace(whole.trace, row.seed, row.part.index, row.part.of)
  let spanCount = 0
  for (const rs of trace.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spanCount += ss.spans?.length ?? 0
  return { traceId: whole.traceId, trace, spanCount }
}

/** Part `index` of `of` of a trace: spans dealt out at random (the first span always in part 0, the last in the last part). */
export function splitTrace(trace: Trace, seed: number, index: number, of: number): Trace {
  const rng = new Prng(seed ^ 0x2545f491)
  const all = (trace.resourceSpans ?? []).flatMap((rs) => (rs.scopeSpans ?? []).flatMap((ss) => ss.spans ?? []))
  const partOf = new Map(all.map((span, k) => [span, k === 0 ? 0 : k === all.length - 1 ? of - 1 : rng.int(of)]))
  const resourceSpans = (trace.resourceSpans ?? [])
    .map((rs) => ({
      ...rs,
      scopeSpans: (rs.scopeSpans ?? []).map((ss) => ({ ...ss, spans: (ss.spans ?? []).filter((span) => partOf.get(span) === index) })).filter((ss) => ss.spans.length > 0),
    }))
    .filter((rs) => rs.scopeSpans.length > 0)
  return { resourceSpans }
}

/** A random (version 4 style) lowercase UUID. */
function uuidFrom(rng: Prng): string {
  const b = rng.bytes(16)
  b[6] = (b[6]! & 0x0f) | 0x40
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = Buffer.from(b).toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
