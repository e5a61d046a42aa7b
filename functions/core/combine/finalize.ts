import type { Trace } from '../otlp/model.js'
import { sortTrace } from './sort-trace.js'
import { dedupeSpanIds } from './span-id-dedupe.js'

/**
 * What Tempo's query-frontend returns for a combined trace: `SortTrace` when at least two partial
 * traces (blocks) contributed, then the Zipkin span-ID de-duplication. Returns a new trace.
 */
export function finalizeTrace(combined: Trace, contributors: number): Trace {
  return finalizeStage(combined, contributors).trace
}

/** How a combined trace is finished before it is handed on. */
export type TraceFinalizer = (combined: Trace, contributors: number) => Trace

/**
 * What one Tempo querier returns for a combined trace: sorted when at least two partial traces were
 * combined, nothing more (the Zipkin span-ID step is the query-frontend's, after all queriers answered).
 */
export function querierFinalizeTrace(combined: Trace, contributors: number): Trace {
  return contributors >= 2 ? sortTrace(combined) : combined
}

/** A reader's finalised trace, and whether it can stand in for the unfinalised one in a later combine. */
export interface FinalizedStage {
  trace: Trace
  /**
   * True when combining `trace` with other shards' traces gives exactly what combining `combined` would:
   * no span ID was renamed (renaming changes de-duplication tokens), and any sort is one the final sort
   * reproduces. Tempo's sort is stable under a strict weak order for spans, events and links, so sorting
   * an already sorted part again changes nothing and the shard's spans still come first; only scopes
   * without spans and resources without scopes compare "equal" to everything, so a trace holding one
   * is not recombinable once sorted.
   */
  recombinable: boolean
}

/** `finalizeTrace`, also telling whether the result may replace `combined` as input of the coordinator's combine. */
export function finalizeStage(combined: Trace, contributors: number): FinalizedStage {
  const sorted = querierFinalizeTrace(combined, contributors)
  const trace = dedupeSpanIds(sorted)
  // dedupeSpanIds returns its input when it renamed nothing.
  const renamed = trace !== sorted
  return { trace, recombinable: !renamed && (sorted === combined || !hasEmptyContainer(combined)) }
}

function hasEmptyContainer(trace: Trace): boolean {
  for (const rs of trace.resourceSpans ?? []) {
    if (!rs.scopeSpans || rs.scopeSpans.length === 0) return true
    for (const ss of rs.scopeSpans) if (!ss.spans || ss.spans.length === 0) return true
  }
  return false
}
