/**
 * Small descriptive statistics of one group: quantiles (R's default, type 7: linear between order
 * statistics), and the effect sizes the ranking reports next to the tests.
 */

/** The `q` quantile (0..1) of `sorted` (ascending); NaN for an empty sample. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  const position = (sorted.length - 1) * q
  const below = Math.floor(position)
  const above = Math.min(sorted.length - 1, below + 1)
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below)
}

/** Size, p50, p95 and mean of `values` (any order); NaN statistics for an empty sample. */
export function describeSample(values: readonly number[]): { n: number; p50: number; p95: number; mean: number } {
  const sorted = [...values].sort((a, b) => a - b)
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length
  return { n: sorted.length, p50: quantileSorted(sorted, 0.5), p95: quantileSorted(sorted, 0.95), mean }
}

/**
 * Log odds ratio of having a feature in A versus B, with 0.5 added to every cell (Haldane-Anscombe) so
 * features absent from one group get a finite value.
 */
export function smoothedLogOddsRatio(a: number, n1: number, b: number, n2: number): number {
  return Math.log(((a + 0.5) * (n2 - b + 0.5)) / ((n1 - a + 0.5) * (b + 0.5)))
}
