import type { Trace } from '../otlp/model.js'
import { sortTrace } from './sort-trace.js'
import { dedupeSpanIds } from './span-id-dedupe.js'

/**
 * What Tempo's query-frontend returns for a combined trace: `SortTrace` when at least two partial
 * traces (blocks) contributed, then the Zipkin span-ID de-duplication. Returns a new trace.
 */
export function finalizeTrace(combined: Trace, contributors: number): Trace {
  return dedupeSpanIds(querierFinalizeTrace(combined, contributors))
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
