import hypergeometricPmf from '@stdlib/stats-base-dists-hypergeometric-pmf'

/**
 * Fisher's exact test of a 2x2 table, two-sided: the probability, under the hypergeometric law with the
 * margins fixed, of every table at most as likely as the observed one. That is R's `fisher.test` and
 * SciPy's `fisher_exact` definition, including their relative tolerance when comparing probabilities
 * (so tables as likely as the observed one up to rounding count too).
 */

const RELATIVE_TOLERANCE = 1 + 1e-7

/** Two-sided p-value for `a` of `n1` traces in group A and `b` of `n2` in group B having a feature. */
export function fisherExactP(a: number, n1: number, b: number, n2: number): number {
  if (!(a >= 0 && b >= 0 && a <= n1 && b <= n2)) throw new RangeError(`fisher: counts ${a}/${n1}, ${b}/${n2} are not a 2x2 table`)
  const total = n1 + n2
  const withFeature = a + b
  const low = Math.max(0, withFeature - n2)
  const high = Math.min(withFeature, n1)
  if (low === high) return 1
  // A: draws = n1 traces from `total`, of which `withFeature` are "successes".
  const pmf = (x: number): number => hypergeometricPmf(x, total, withFeature, n1)
  const observed = pmf(a) * RELATIVE_TOLERANCE
  let p = 0
  // The pmf is unimodal: walk in from both tails while tables are no likelier than the observed one.
  let x = low
  for (; x <= high; x++) {
    const px = pmf(x)
    if (px > observed) break
    p += px
  }
  for (let y = high; y >= x; y--) {
    const py = pmf(y)
    if (py > observed) break
    p += py
  }
  return Math.min(1, p)
}
