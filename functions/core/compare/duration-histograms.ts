import { parseFeatureId } from './feature-keys.js'
import type { GroupTally } from './group-tally.js'
import type { DurationHistogram, MeasureStat } from './report-types.js'

/**
 * Duration distributions of the operations whose durations differ most, for the report's charts:
 * both groups counted over the same log-spaced bins (durations span orders of magnitude).
 */

/** Bins per histogram. */
export const HISTOGRAM_BINS = 24

/** Histograms of the `limit` best-ranked duration measures (ranked list in, as `rankAll` returns it). */
export function durationHistograms(measures: MeasureStat[], a: GroupTally, b: GroupTally, limit = 6): DurationHistogram[] {
  return measures
    .filter((s) => s.kind === 'duration')
    .slice(0, limit)
    .map((s) => histogram(parseFeatureId(s.id).subject, a.measures.get(s.id) ?? [], b.measures.get(s.id) ?? []))
}

function histogram(operation: string, a: number[], b: number[]): DurationHistogram {
  const all = [...a, ...b].filter((v) => v > 0)
  const lo = Math.log10(Math.max(1e-3, Math.min(...all)))
  const hi = Math.log10(Math.max(...all)) + 1e-9
  const step = Math.max(hi - lo, 1e-6) / HISTOGRAM_BINS
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => 10 ** (lo + i * step))
  const count = (values: number[]): number[] => {
    const bins = new Array<number>(HISTOGRAM_BINS).fill(0)
    for (const v of values) bins[Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor((Math.log10(Math.max(v, 1e-3)) - lo) / step)))]!++
    return bins
  }
  return { operation, edgesMs: edges, a: count(a), b: count(b) }
}
