import type { Trace } from '../otlp/model.js'
import { sortTrace } from './sort-trace.js'
import { dedupeSpanIds } from './span-id-dedupe.js'

/**
 * What Tempo's query-frontend returns for a combined trace: `SortTrace` when at least two partial
 * traces (blocks) contributed, then the Zipkin span-ID de-duplication. Returns a new trace.
 */
export function finalizeTrace(combined: Trace, contributors: number): Trace {
  return dedupeSpanIds(contributors >= 2 ? sortTrace(combined) : combined)
}
