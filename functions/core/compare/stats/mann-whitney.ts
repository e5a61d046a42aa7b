import normalCdf from '@stdlib/stats-base-dists-normal-cdf'
import ranks from '@stdlib/stats-ranks'

/**
 * The Mann-Whitney U test (Wilcoxon rank-sum), two-sided: do values of group A tend to be larger or
 * smaller than those of B? Exact null distribution for small samples without ties (both under 50, as R's
 * `wilcox.test`); otherwise the normal approximation with the tie correction of the variance and a
 * continuity correction (SciPy's `mannwhitneyu(method='asymptotic')`, R's default with ties).
 */

/** The test's outcome. `u` is U of group A (pairs (a, b) with a > b, ties counting one half). */
export interface MannWhitneyResult {
  u: number
  p: number
  method: 'exact' | 'asymptotic'
}

/** Largest sample size (each group) for which the exact distribution is used. */
export const EXACT_LIMIT = 50

/** Two-sided Mann-Whitney U test of `a` against `b`; `method` forces a method (default: as above). */
export function mannWhitneyU(a: readonly number[], b: readonly number[], method?: 'exact' | 'asymptotic'): MannWhitneyResult {
  const n1 = a.length
  const n2 = b.length
  if (n1 === 0 || n2 === 0) return { u: 0, p: 1, method: 'asymptotic' }
  const rank = ranks([...a, ...b])
  let rankSumA = 0
  for (let i = 0; i < n1; i++) rankSumA += rank[i]!
  const u = rankSumA - (n1 * (n1 + 1)) / 2
  const tieTerm = tieCorrection(rank)
  const chosen = method ?? (tieTerm === 0 && n1 < EXACT_LIMIT && n2 < EXACT_LIMIT ? 'exact' : 'asymptotic')
  if (chosen === 'exact') return { u, p: exactP(u, n1, n2), method: 'exact' }
  const mean = (n1 * n2) / 2
  const n = n1 + n2
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)))
  if (variance <= 0) return { u, p: 1, method: 'asymptotic' }
  const z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance)
  // The lower tail at -z keeps tiny p-values (1 - cdf(z) would round them to 0).
  return { u, p: Math.min(1, 2 * normalCdf(-z, 0, 1)), method: 'asymptotic' }
}

/** Sum over tie groups of t^3 - t (0 without ties). */
function tieCorrection(rank: number[]): number {
  const sizes = new Map<number, number>()
  for (const r of rank) sizes.set(r, (sizes.get(r) ?? 0) + 1)
  let sum = 0
  for (const t of sizes.values()) if (t > 1) sum += t * t * t - t
  return sum
}

/** Exact two-sided p: twice the smaller tail of U's permutation distribution, capped at 1. */
function exactP(u: number, n1: number, n2: number): number {
  const counts = uDistribution(n1, n2)
  const total = counts.reduce((s, c) => s + c, 0)
  const k = Math.round(Math.min(u, n1 * n2 - u))
  let tail = 0
  for (let i = 0; i <= k; i++) tail += counts[i]!
  return Math.min(1, (2 * tail) / total)
}

/** Number of arrangements giving each U = 0..n1*n2 (the recurrence on adding one value of either group). */
function uDistribution(n1: number, n2: number): number[] {
  // f[m][u] for the current n: start with n = 0, where only U = 0 is possible for any m.
  let f: number[][] = Array.from({ length: n1 + 1 }, () => [1])
  for (let n = 1; n <= n2; n++) {
    const next: number[][] = [[1]]
    for (let m = 1; m <= n1; m++) {
      const size = m * n + 1
      const row = new Array<number>(size).fill(0)
      const withoutB = f[m]! // the largest value is from A... counted through the shift below
      const withoutA = next[m - 1]!
      for (let value = 0; value < size; value++) {
        // Largest value is a B: U unchanged, from (m, n-1). Largest is an A: it beats all n B's, from (m-1, n).
        row[value] = (withoutB[value] ?? 0) + (value >= n ? (withoutA[value - n] ?? 0) : 0)
      }
      next.push(row)
    }
    f = next
  }
  return f[n1]!
}
