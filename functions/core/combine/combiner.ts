/**
 * Tempo's trace combiner (pkg/model/trace/combine.go) as the querier and the query-frontend use it:
 * the first non-empty partial trace becomes the result as it is (duplicates inside it stay); every
 * later one contributes only spans whose (span ID, kind) token is new, under its own resource and
 * scope — scopes and resources left empty are dropped, resources are never merged. After every
 * consume the result's protobuf size is compared with `max_bytes_per_trace`; once over it, the
 * combiner (like Tempo's v2 path with partial traces allowed) keeps what it has and takes nothing more.
 *
 * Our fan-out combines in two stages (readers over their blocks, the coordinator over the readers),
 * as Tempo does (queriers over blocks, the frontend over queriers). Readers pass `result({ sort: false })`
 * and their `contributors` on; the coordinator consumes them in shard order and calls `finalizeTrace`.
 * Without a size limit that gives exactly the one-stage result; with one, a reader's result is taken
 * whole before the check, as Tempo's frontend takes a querier's.
 */
import type { ResourceSpans, ScopeSpans, Trace } from '../otlp/model.js'
import { delimitedSize, resourceSpansSize, traceSize } from '../otlp/protobuf-size.js'
import { sortTrace } from './sort-trace.js'
import { spanToken } from './span-token.js'

export { finalizeTrace, querierFinalizeTrace, type TraceFinalizer } from './finalize.js'
export { dedupeSpanIds } from './span-id-dedupe.js'
export { sortTrace } from './sort-trace.js'

/** Tempo's v2 status message for a combined trace over the limit (`status: PARTIAL`). */
export function partialTraceMessage(maxBytes: number): string {
  return `Trace exceeds maximum size of ${maxBytes} bytes, a partial trace is returned`
}

/** Tempo's v1 error text (HTTP 422) for a combined trace over the limit. */
export function traceTooLargeError(maxBytes: number): string {
  return `trace exceeds max size (max bytes: ${maxBytes})`
}

/** Combines partial traces of one trace ID with Tempo's rules (see the module note). */
export class TraceCombiner {
  private combined: { resourceSpans: ResourceSpans[] } | undefined
  private readonly seen = new Set<bigint>()
  /** Span tokens of the first trace are only needed once a second one arrives (the common case is one). */
  private firstIndexed = false
  private contributorCount = 0
  private overLimit = false
  /** Protobuf size of `combined`; kept up to date only when a limit needs it, else computed on demand. */
  private sizeBytes: number | undefined = 0

  /** @param maxBytes Tempo's `max_bytes_per_trace` in protobuf bytes; 0 (or less) = unlimited. */
  constructor(readonly maxBytes: number) {}

  /** Number of non-empty partial traces consumed (Tempo sorts only when >= 2). */
  get contributors(): number {
    return this.contributorCount
  }

  /** True once the combined size went over `maxBytes` (or an upstream combiner said so). */
  get exceeded(): boolean {
    return this.overLimit
  }

  /** Protobuf size of the combined trace so far (`traceProtoSize(result())`). */
  get size(): number {
    this.sizeBytes ??= this.combined ? traceSize(this.combined) : 0
    return this.sizeBytes
  }

  private get limited(): boolean {
    return this.maxBytes > 0
  }

  /**
   * Consume one partial trace. `contributors` is how many block-level partial traces it already
   * combines (a reader's result); `upstreamExceeded` carries a reader's `exceeded` flag. Returns
   * false when the trace was refused because the limit had already been exceeded; an empty or
   * missing trace is a no-op (true), as Tempo skips nil traces.
   */
  consume(trace: Trace | undefined, contributors = 1, upstreamExceeded = false): boolean {
    if (this.overLimit) return false
    if (!trace?.resourceSpans || trace.resourceSpans.length === 0) return true
    if (this.combined === undefined) {
      // the first trace is taken whole; copy only the list we append to, so the caller's trace stays as it was
      this.combined = { resourceSpans: trace.resourceSpans.slice() }
      this.sizeBytes = this.limited ? traceSize(this.combined) : undefined
    } else {
      if (!this.firstIndexed) {
        // until now `combined` holds exactly the first trace (Tempo hashes its spans on the first consume)
        for (const rs of this.combined.resourceSpans) for (const ss of rs.scopeSpans ?? []) for (const span of ss.spans ?? []) this.seen.add(spanToken(span))
        this.firstIndexed = true
      }
      for (const rs of trace.resourceSpans) {
        const kept = this.unseenScopes(rs)
        if (kept.length === 0) continue
        const appended: ResourceSpans = { ...rs, scopeSpans: kept }
        this.combined.resourceSpans.push(appended)
        // a Trace is just its repeated ResourceSpans field, so its size grows by exactly the appended entries
        if (this.sizeBytes !== undefined) this.sizeBytes += delimitedSize(resourceSpansSize(appended))
      }
    }
    this.contributorCount += Math.max(1, contributors)
    if (upstreamExceeded || (this.limited && this.size > this.maxBytes)) this.overLimit = true
    return true
  }

  private unseenScopes(rs: ResourceSpans): ScopeSpans[] {
    const kept: ScopeSpans[] = []
    for (const ss of rs.scopeSpans ?? []) {
      const spans = (ss.spans ?? []).filter((span) => {
        const token = spanToken(span)
        if (this.seen.has(token)) return false
        this.seen.add(token)
        return true
      })
      if (spans.length > 0) kept.push({ ...ss, spans })
    }
    return kept
  }

  /**
   * The combined trace, or undefined when nothing was found. Sorted with Tempo's `SortTrace` when at
   * least two partial traces contributed, unless `{ sort: false }` (readers leave sorting to the end).
   */
  result(options: { sort?: boolean } = {}): Trace | undefined {
    if (!this.combined) return undefined
    const trace: Trace = { resourceSpans: this.combined.resourceSpans.slice() }
    return options.sort !== false && this.contributorCount >= 2 ? sortTrace(trace) : trace
  }
}

/** One-stage combine of block-level partial traces (what one Tempo querier does); `trace` is sorted when >= 2 contributed. */
export function combineTraces(partials: readonly (Trace | undefined)[], maxBytes: number): { trace?: Trace; partial: boolean; contributors: number } {
  const combiner = new TraceCombiner(maxBytes)
  for (const partial of partials) combiner.consume(partial)
  const trace = combiner.result()
  return { ...(trace ? { trace } : {}), partial: combiner.exceeded, contributors: combiner.contributors }
}
