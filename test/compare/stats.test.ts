import { describe, expect, it } from 'vitest'
import { benjaminiHochberg } from '../../functions/core/compare/stats/fdr.js'
import { fisherExactP } from '../../functions/core/compare/stats/fisher-exact.js'
import { mannWhitneyU } from '../../functions/core/compare/stats/mann-whitney.js'
import { describeSample, quantileSorted, smoothedLogOddsRatio } from '../../functions/core/compare/stats/describe.js'

// Reference values: textbook examples where there is one, else SciPy 1.17 (`scipy.stats.fisher_exact`,
// `mannwhitneyu`, `false_discovery_control`), whose definitions match R's fisher.test, wilcox.test and p.adjust.

describe("Fisher's exact test (two-sided)", () => {
  it("Fisher's lady tasting tea: 3 of 4 cups right in each row gives p = 34/70", () => {
    // [[3, 1], [1, 3]]: rows are the true pouring, a = 3 of 4 "milk first" cups named so.
    expect(fisherExactP(3, 4, 1, 4)).toBeCloseTo(34 / 70, 12)
  })

  it.each([
    [74, 105, 43, 75, 0.0817946749549986],
    [47, 50, 2, 60, 6.758355180826705e-25],
    [10, 10, 0, 10, 1.082508822446903e-5],
    [1, 10, 11, 14, 0.0027594561852200836],
  ])('a=%i of %i vs b=%i of %i -> p=%f (SciPy)', (a, n1, b, n2, expected) => {
    expect(fisherExactP(a, n1, b, n2) / expected).toBeCloseTo(1, 9)
  })

  it('is 1 when a margin leaves only one table, and rejects impossible counts', () => {
    expect(fisherExactP(0, 50, 0, 60)).toBe(1)
    expect(fisherExactP(50, 50, 60, 60)).toBe(1)
    expect(() => fisherExactP(5, 4, 0, 4)).toThrow(RangeError)
  })
})

describe('Mann-Whitney U (two-sided)', () => {
  it("Hollander & Wolfe's depression scores (R's wilcox.test example): U = 35, exact p = 0.2544", () => {
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    const y = [1.15, 0.88, 0.9, 0.74, 1.21]
    const result = mannWhitneyU(x, y)
    expect(result).toMatchObject({ u: 35, method: 'exact' })
    // R reports the one-sided p 0.1272 for alternative = "greater"; two-sided is twice that.
    expect(result.p).toBeCloseTo(0.2544122544122544, 12)
  })

  it("SciPy's example (males vs females): U = 17, exact p = 1/9, asymptotic p = 0.11134688653314041", () => {
    const males = [19, 22, 16, 29, 24]
    const females = [20, 11, 17, 12]
    expect(mannWhitneyU(males, females)).toEqual({ u: 17, p: expect.closeTo(1 / 9, 12) as number, method: 'exact' })
    expect(mannWhitneyU(males, females, 'asymptotic').p).toBeCloseTo(0.11134688653314041, 12)
  })

  it('with ties: mid-ranks, tie-corrected variance and continuity correction (SciPy: U = 25, p = 0.036224632849257206)', () => {
    const a = [1, 2, 2, 3, 3, 3, 4, 5, 5, 7]
    const b = [2, 3, 4, 4, 5, 6, 6, 7, 8, 8, 9]
    const result = mannWhitneyU(a, b)
    expect(result.method).toBe('asymptotic')
    expect(result.u).toBe(25)
    expect(result.p).toBeCloseTo(0.036224632849257206, 12)
  })

  it('keeps tiny p-values of large separated samples instead of rounding them to 0', () => {
    const a = Array.from({ length: 200 }, (_, i) => 1000 + i)
    const b = Array.from({ length: 200 }, (_, i) => i)
    const { p } = mannWhitneyU(a, b)
    expect(p).toBeGreaterThan(0)
    expect(p).toBeLessThan(1e-60)
  })

  it('is symmetric and 1 for identical samples', () => {
    const a = [3, 1, 4, 1, 5, 9, 2, 6]
    const b = [2, 7, 1, 8, 2, 8, 1, 8]
    expect(mannWhitneyU(a, b).p).toBeCloseTo(mannWhitneyU(b, a).p, 12)
    expect(mannWhitneyU([5, 5, 5], [5, 5, 5]).p).toBe(1)
  })
})

describe('Benjamini-Hochberg q-values', () => {
  it("Benjamini & Hochberg's (1995) 15 p-values: the first four are discoveries at 0.05 (SciPy's adjusted values)", () => {
    const p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1]
    const expected = [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714285714286, 0.06385714285714286, 0.0645, 0.0765, 0.486, 0.5811818181818181, 0.714875, 0.7532307692307693, 0.8132142857142857, 1]
    const q = benjaminiHochberg(p)
    q.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 12))
    expect(q.filter((value) => value < 0.05)).toHaveLength(4)
  })

  it('keeps the input order and handles no tests', () => {
    expect(benjaminiHochberg([0.04, 0.01])).toEqual([0.04, 0.02])
    expect(benjaminiHochberg([])).toEqual([])
  })
})

describe('descriptive statistics', () => {
  it("quantiles interpolate linearly between order statistics (R's type 7)", () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(quantileSorted([10, 20, 30, 40, 50], 0.95)).toBeCloseTo(48, 12)
    expect(describeSample([3, 1, 2])).toEqual({ n: 3, p50: 2, p95: 2.9, mean: 2 })
  })

  it('the smoothed log odds ratio stays finite when a group never has the feature', () => {
    expect(smoothedLogOddsRatio(47, 50, 2, 60)).toBeCloseTo(Math.log((47.5 * 58.5) / (3.5 * 2.5)), 12)
    expect(Number.isFinite(smoothedLogOddsRatio(10, 10, 0, 10))).toBe(true)
    expect(smoothedLogOddsRatio(5, 10, 5, 10)).toBe(0)
  })
})
