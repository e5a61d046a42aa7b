import { byValue } from './rank-features.js'
import type { MeasureStat, PresenceStat, Finding } from './report-types.js'

/**
 * Findings in words: every feature whose q-value is under the false-discovery rate, strongest first
 * (by q, then p, then rank within the kind), each sentence carrying the counts or quantiles it rests on.
 */

/** The sentence for a presence feature, e.g. "`checkout: POST /charge` has status ERROR in 47 of 50 traces of A and 2 of 60 of B (q < 0.001)". */
export function presenceSentence(s: PresenceStat, n1: number, n2: number): string {
  const counts = `in ${s.a} of ${n1} traces of A and ${s.b} of ${n2} of B (${formatQ(s.q)})`
  const value = s.value ?? ''
  switch (s.kind) {
    case 'error':
      return `\`${s.subject}\` has status ERROR ${counts}`
    case 'error-message':
      return `\`${s.subject}\` fails with message "${value}" ${counts}`
    case 'exception':
      return `\`${s.subject}\` records exception \`${value}\` ${counts}`
    case 'span-attribute':
      return `spans with \`${s.subject}=${value}\` occur ${counts}`
    case 'resource-attribute':
      return `resources with \`${s.subject}=${value}\` take part ${counts}`
    case 'call-edge':
      return `\`${s.subject}\` calls \`${value}\` ${counts}`
    case 'operation':
      return `\`${s.subject}\` occurs ${counts}`
    case 'root-operation':
      return `traces start at \`${s.subject}\` ${counts}`
    case 'service':
      return `service \`${s.subject}\` takes part ${counts}`
    case 'span-kind':
      return `spans of kind ${s.subject} occur ${counts}`
  }
}

/** The sentence for a measure, e.g. "`payment: charge` takes 310 ms (p50; p95 420 ms) in A against 32 ms (p95 45 ms) in B (q < 0.001)". */
export function measureSentence(s: MeasureStat): string {
  const q = `(${formatQ(s.q)})`
  switch (s.kind) {
    case 'critical-path-share':
      return `\`${s.subject}\` holds ${percent(s.a.mean)} of the critical path on average in A against ${percent(s.b.mean)} in B ${q}`
    case 'duration':
      return `\`${s.subject}\` takes ${ms(s.a.p50)} (p50; p95 ${ms(s.a.p95)}) in A against ${ms(s.b.p50)} (p95 ${ms(s.b.p95)}) in B ${q}`
    case 'self-time':
      return `\`${s.subject}\` spends ${ms(s.a.p50)} in itself per trace (p50) in A against ${ms(s.b.p50)} in B ${q}`
    case 'span-count':
      return `\`${s.subject}\` has ${round(s.a.p50)} spans per trace (p50; p95 ${round(s.a.p95)}) in A against ${round(s.b.p50)} (p95 ${round(s.b.p95)}) in B ${q}`
    case 'trace-duration':
      return `traces take ${ms(s.a.p50)} end to end (p50; p95 ${ms(s.a.p95)}) in A against ${ms(s.b.p50)} (p95 ${ms(s.b.p95)}) in B ${q}`
  }
}

/**
 * Findings of all kinds under `fdr`, strongest first, at most `limit` and at most `perKind` of one kind:
 * one slow operation shifts every other operation's share of the critical path, and those echoes should
 * not crowd out the other kinds (they all stay in the report's tables).
 */
export function findingsOf(presence: PresenceStat[], measures: MeasureStat[], n1: number, n2: number, fdr: number, limit: number, perKind = 5): Finding[] {
  const all: (Finding & { p: number; rank: number })[] = []
  for (const s of presence) {
    if (s.q < fdr && s.rank <= perKind) all.push({ id: s.id, kind: s.kind, text: presenceSentence(s, n1, n2), q: s.q, p: s.p, rank: s.rank, direction: s.difference >= 0 ? 'A' : 'B' })
  }
  for (const s of measures) {
    const higherInA = s.kind === 'critical-path-share' ? s.a.mean >= s.b.mean : s.medianShift >= 0
    if (s.q < fdr && s.rank <= perKind) all.push({ id: s.id, kind: s.kind, text: measureSentence(s), q: s.q, p: s.p, rank: s.rank, direction: higherInA ? 'A' : 'B' })
  }
  // Ties (complete separation gives equal p) keep each kind's own order, which weighs effect size.
  all.sort((x, y) => byValue(x.q, y.q) || byValue(x.p, y.p) || x.rank - y.rank)
  return all.slice(0, limit).map(({ id, kind, text, q, direction }) => ({ id, kind, text, q, direction }))
}

/** "q < 0.001" or "q = 0.012". */
export function formatQ(q: number): string {
  return q < 0.001 ? 'q < 0.001' : `q = ${q.toPrecision(2)}`
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`
}

function ms(value: number): string {
  if (value >= 1000) return `${(value / 1000).toPrecision(3)} s`
  return `${value >= 10 ? Math.round(value) : value.toPrecision(2)} ms`
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1)
}
