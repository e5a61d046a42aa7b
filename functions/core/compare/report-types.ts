import type { MeasureKind, PresenceKind } from './feature-keys.js'

/** The JSON report of one comparison: every feature tested, with its statistics, findings first. */

/** Report format version; bump on incompatible changes. */
export const REPORT_VERSION = 1

/** Where a group's traces came from and how many were usable. */
export interface GroupSummary {
  label: string
  /** Traces compared. */
  traces: number
  /** Result lines read, by status (`not_found` lines hold no trace and are not compared). */
  lines: Record<string, number>
  /** End-to-end durations (ms). */
  durationMs: { p50: number; p95: number }
}

/** Statistics of one presence feature. */
export interface PresenceStat {
  id: string
  kind: PresenceKind
  subject: string
  value?: string
  /** Traces with the feature in A and in B. */
  a: number
  b: number
  prevalenceA: number
  prevalenceB: number
  /** prevalenceA - prevalenceB. */
  difference: number
  /** Smoothed (Haldane-Anscombe) natural log odds ratio, A over B. */
  logOddsRatio: number
  /** Fisher's exact two-sided p-value and the Benjamini-Hochberg q-value over all tests. */
  p: number
  q: number
  /** 1-based rank within its kind (strongest first). */
  rank: number
}

/** p50/p95 of one measure in one group, over the traces that have it. */
export interface MeasureSummary {
  n: number
  p50: number
  p95: number
  mean: number
}

/** Statistics of one measure. */
export interface MeasureStat {
  id: string
  kind: MeasureKind
  /** The operation (`service: name`), or `trace` for `trace-duration`. */
  subject: string
  a: MeasureSummary
  b: MeasureSummary
  /** median(A) - median(B), in the measure's unit (ms, spans, or share 0..1). */
  medianShift: number
  /** Mann-Whitney U of A, two-sided p, method, BH q. */
  u: number
  p: number
  q: number
  method: 'exact' | 'asymptotic'
  rank: number
}

/** One finding in words, with the feature it is about. */
export interface Finding {
  id: string
  kind: PresenceKind | MeasureKind
  text: string
  q: number
  /** Which group has more of it. */
  direction: 'A' | 'B'
}

/** An attribute key whose values were not compared. */
export interface SkippedAttribute {
  scope: 'span' | 'resource'
  key: string
  /** Distinct values seen (a lower bound when capped), traces carrying the key, and their ratio. */
  distinctValues: number
  traces: number
  ratio: number
  reason: string
}

/** A call edge present in only one group. */
export interface OneSidedEdge {
  parent: string
  child: string
  a: number
  b: number
  onlyIn: 'A' | 'B'
}

/** An operation's place on the critical path of one group. */
export interface CriticalPathEntry {
  operation: string
  /** Mean over the group's traces of the operation's share of each critical path (0..1). */
  meanShare: number
  /** Its milliseconds on the critical path over the group's total critical-path milliseconds. */
  totalShare: number
}

/** One operation's duration distribution in both groups over shared bins (`edgesMs` has one more entry than each count list). */
export interface DurationHistogram {
  operation: string
  edgesMs: number[]
  a: number[]
  b: number[]
}

/** The whole report. */
export interface CompareReport {
  version: typeof REPORT_VERSION
  groups: { a: GroupSummary; b: GroupSummary }
  settings: { fdr: number; highCardinalityRatio: number; highCardinalityMinValues: number; maxTrackedValues: number }
  /** Tests run (the Benjamini-Hochberg family size). */
  tests: number
  findings: Finding[]
  presence: PresenceStat[]
  measures: MeasureStat[]
  oneSidedEdges: OneSidedEdge[]
  criticalPath: { a: CriticalPathEntry[]; b: CriticalPathEntry[] }
  /** Duration distributions of the best-ranked duration measures. */
  durationHistograms: DurationHistogram[]
  skippedAttributes: SkippedAttribute[]
}
