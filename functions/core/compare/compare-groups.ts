import { attributeFeatures, DEFAULT_CARDINALITY_RULE, type CardinalityRule } from './attribute-cardinality.js'
import { durationHistograms } from './duration-histograms.js'
import { featureId } from './feature-keys.js'
import { findingsOf } from './findings.js'
import { GroupTally, MAX_TRACKED_VALUES } from './group-tally.js'
import { rankAll, testMeasures, testPresence } from './rank-features.js'
import { REPORT_VERSION, type CompareReport, type CriticalPathEntry, type GroupSummary, type OneSidedEdge, type PresenceStat } from './report-types.js'
import { describeSample } from './stats/describe.js'
import { traceFeatures } from './trace-features.js'
import { viewTrace } from './trace-view.js'
import type { Trace } from '../otlp/model.js'

/**
 * Compare two groups of traces (say, failed and successful requests): extract each trace's features,
 * count them per group, test every feature, correct for multiplicity and put the findings in words.
 * Traces are consumed one at a time; memory holds the counts and one number per trace and measure.
 */

/** One group: its traces, and (filled in while they are read) the result lines seen by status. */
export interface GroupSource {
  label?: string
  traces: AsyncIterable<Trace> | Iterable<Trace>
  lines?: Record<string, number>
}

/** Options of `compareGroups`. */
export interface CompareOptions {
  /** False-discovery rate under which a feature is a finding (default 0.05). */
  fdr?: number
  /** Most findings listed in words (default 30; every feature stays in `presence`/`measures`). */
  maxFindings?: number
  cardinality?: CardinalityRule
}

/** Default false-discovery rate. */
export const DEFAULT_FDR = 0.05

/** Compare group A with group B. */
export async function compareGroups(a: GroupSource, b: GroupSource, options: CompareOptions = {}): Promise<CompareReport> {
  const fdr = options.fdr ?? DEFAULT_FDR
  const rule = options.cardinality ?? DEFAULT_CARDINALITY_RULE
  const tallyA = await tallyGroup(a.traces)
  const tallyB = await tallyGroup(b.traces)
  const attributes = attributeFeatures(tallyA, tallyB, rule)
  const counts = new Map(attributes.counts)
  for (const id of new Set([...tallyA.presence.keys(), ...tallyB.presence.keys()])) counts.set(id, { a: tallyA.presence.get(id) ?? 0, b: tallyB.presence.get(id) ?? 0 })
  const ranked = rankAll(testPresence(counts, tallyA.traces, tallyB.traces), testMeasures(tallyA, tallyB))
  return {
    version: REPORT_VERSION,
    groups: { a: groupSummary(a, 'A', tallyA), b: groupSummary(b, 'B', tallyB) },
    settings: { fdr, highCardinalityRatio: rule.ratio, highCardinalityMinValues: rule.minValues, maxTrackedValues: MAX_TRACKED_VALUES },
    tests: ranked.presence.length + ranked.measures.length,
    findings: findingsOf(ranked.presence, ranked.measures, tallyA.traces, tallyB.traces, fdr, options.maxFindings ?? 30),
    presence: ranked.presence,
    measures: ranked.measures,
    oneSidedEdges: oneSidedEdges(ranked.presence),
    criticalPath: { a: criticalPathEntries(tallyA), b: criticalPathEntries(tallyB) },
    durationHistograms: durationHistograms(ranked.measures, tallyA, tallyB),
    skippedAttributes: attributes.skipped,
  }
}

async function tallyGroup(traces: AsyncIterable<Trace> | Iterable<Trace>): Promise<GroupTally> {
  const tally = new GroupTally()
  for await (const trace of traces) tally.add(traceFeatures(viewTrace(trace)))
  return tally
}

function groupSummary(source: GroupSource, fallbackLabel: string, tally: GroupTally): GroupSummary {
  const durations = describeSample(tally.measures.get(featureId('trace-duration', 'trace')) ?? [])
  return { label: source.label ?? fallbackLabel, traces: tally.traces, lines: { ...(source.lines ?? {}) }, durationMs: { p50: durations.p50, p95: durations.p95 } }
}

function oneSidedEdges(presence: PresenceStat[]): OneSidedEdge[] {
  return presence
    .filter((s) => s.kind === 'call-edge' && (s.a === 0 || s.b === 0))
    .map((s) => ({ parent: s.subject, child: s.value ?? '', a: s.a, b: s.b, onlyIn: s.a === 0 ? ('B' as const) : ('A' as const) }))
    .sort((x, y) => Math.max(y.a, y.b) - Math.max(x.a, x.b) || x.parent.localeCompare(y.parent) || x.child.localeCompare(y.child))
}

function criticalPathEntries(tally: GroupTally): CriticalPathEntry[] {
  const entries: CriticalPathEntry[] = []
  for (const [operation, ms] of tally.criticalPathMs) {
    const shares = tally.measures.get(featureId('critical-path-share', operation)) ?? []
    const meanShare = tally.traces === 0 ? 0 : shares.reduce((s, v) => s + v, 0) / tally.traces
    entries.push({ operation, meanShare, totalShare: tally.criticalPathTotalMs > 0 ? ms / tally.criticalPathTotalMs : 0 })
  }
  return entries.sort((x, y) => y.meanShare - x.meanShare || x.operation.localeCompare(y.operation))
}
