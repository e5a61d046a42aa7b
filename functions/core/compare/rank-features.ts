import { parseFeatureId, type MeasureKind, type PresenceKind } from './feature-keys.js'
import type { GroupTally } from './group-tally.js'
import type { MeasureStat, PresenceStat } from './report-types.js'
import { benjaminiHochberg } from './stats/fdr.js'
import { fisherExactP } from './stats/fisher-exact.js'
import { mannWhitneyU } from './stats/mann-whitney.js'
import { describeSample, smoothedLogOddsRatio } from './stats/describe.js'

/**
 * Test every feature, correct for multiplicity over all of them together, and rank each kind: by q,
 * then p, then effect size (two features with the same p, as under complete separation, are told apart
 * by how large the difference is).
 */

type Unranked<T> = Omit<T, 'q' | 'rank'>

/** Fisher's exact test of every presence feature present in some but not all traces. */
export function testPresence(counts: Iterable<[string, { a: number; b: number }]>, n1: number, n2: number): Unranked<PresenceStat>[] {
  const out: Unranked<PresenceStat>[] = []
  for (const [id, { a, b }] of counts) {
    // Present everywhere (or nowhere): no table can differ, nothing to test.
    if (a + b === n1 + n2 || a + b === 0) continue
    const ref = parseFeatureId<PresenceKind>(id)
    const prevalenceA = n1 === 0 ? 0 : a / n1
    const prevalenceB = n2 === 0 ? 0 : b / n2
    const stat: Unranked<PresenceStat> = {
      id,
      kind: ref.kind,
      subject: ref.subject,
      a,
      b,
      prevalenceA,
      prevalenceB,
      difference: prevalenceA - prevalenceB,
      logOddsRatio: smoothedLogOddsRatio(a, n1, b, n2),
      p: fisherExactP(a, n1, b, n2),
    }
    if (ref.value !== undefined) stat.value = ref.value
    out.push(stat)
  }
  return out
}

/** Mann-Whitney U test of every measure with at least two values in each group. */
export function testMeasures(a: GroupTally, b: GroupTally): Unranked<MeasureStat>[] {
  const out: Unranked<MeasureStat>[] = []
  for (const id of new Set([...a.measures.keys(), ...b.measures.keys()])) {
    const ref = parseFeatureId<MeasureKind>(id)
    // A share of the critical path is 0 in a trace whose path misses the operation: every trace counts.
    const padTo = ref.kind === 'critical-path-share' ? [a.traces, b.traces] : [0, 0]
    const valuesA = padded(a.measures.get(id) ?? [], padTo[0]!)
    const valuesB = padded(b.measures.get(id) ?? [], padTo[1]!)
    if (valuesA.length < 2 || valuesB.length < 2) continue
    const test = mannWhitneyU(valuesA, valuesB)
    const summaryA = describeSample(valuesA)
    const summaryB = describeSample(valuesB)
    out.push({ id, kind: ref.kind, subject: ref.subject, a: summaryA, b: summaryB, medianShift: summaryA.p50 - summaryB.p50, u: test.u, p: test.p, method: test.method })
  }
  return out
}

/**
 * Add BH q-values over all tests together and ranks within each kind; each list comes back ranked. Ties
 * of q, p and effect (complementary values such as `flag=on`/`flag=off`) put what is more common in A
 * first: A is the group being explained.
 */
export function rankAll(presence: Unranked<PresenceStat>[], measures: Unranked<MeasureStat>[]): { presence: PresenceStat[]; measures: MeasureStat[] } {
  const q = benjaminiHochberg([...presence.map((s) => s.p), ...measures.map((s) => s.p)])
  const rankedPresence = presence.map((s, i) => ({ ...s, q: q[i]!, rank: 0 }))
  const rankedMeasures = measures.map((s, i) => ({ ...s, q: q[presence.length + i]!, rank: 0 }))
  return {
    presence: rankWithinKind(rankedPresence, (s) => Math.abs(s.difference), (s) => s.difference >= 0),
    measures: rankWithinKind(rankedMeasures, measureEffect, (s) => (s.kind === 'critical-path-share' ? s.a.mean >= s.b.mean : s.medianShift >= 0)),
  }
}

/** How large a measure's difference is: shares by the difference of means, the rest by the log ratio of medians. */
export function measureEffect(stat: Pick<MeasureStat, 'kind' | 'a' | 'b'>): number {
  if (stat.kind === 'critical-path-share') return Math.abs(stat.a.mean - stat.b.mean)
  const floor = stat.kind === 'span-count' ? 1 : 0.001
  return Math.abs(Math.log((Math.max(stat.a.p50, 0) + floor) / (Math.max(stat.b.p50, 0) + floor)))
}

function rankWithinKind<T extends { kind: string; q: number; p: number; rank: number; id: string }>(stats: T[], effect: (s: T) => number, moreInA: (s: T) => boolean): T[] {
  const sorted = stats
    .map((s) => ({ s, e: effect(s), a: moreInA(s) ? 0 : 1 }))
    .sort((x, y) => byValue(x.s.q, y.s.q) || byValue(x.s.p, y.s.p) || byValue(y.e, x.e) || x.a - y.a || (x.s.id < y.s.id ? -1 : 1))
  const seen = new Map<string, number>()
  return sorted.map(({ s }) => {
    const rank = (seen.get(s.kind) ?? 0) + 1
    seen.set(s.kind, rank)
    s.rank = rank
    return s
  })
}

function padded(values: number[], length: number): number[] {
  if (values.length >= length) return values
  return [...values, ...new Array<number>(length - values.length).fill(0)]
}

/** Ascending order of p-values, q-values or effects, equal within rounding (the same table summed in another order). */
export function byValue(x: number, y: number): number {
  return Math.abs(x - y) <= 1e-9 * Math.max(x, y) ? 0 : x - y
}
