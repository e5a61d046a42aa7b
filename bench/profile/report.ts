import type { ScenarioResult } from '../common.js'
import type { TargetCheck } from '../report.js'
import { BUCKETS, BUCKET_NOTES } from './categories.js'
import type { ProfileBreakdown } from './cpu-profile.js'

/** What a profiled batch child reports besides its row. */
export interface ProfileSummary {
  /** CPU of the whole process over the measured request (`process.cpuUsage`, all threads), ms. */
  cpuMs: number
  breakdown: ProfileBreakdown
  /** Where the raw `.cpuprofile` was written (open it in Chrome DevTools or speedscope). */
  file: string
}

/** Reader CPU per found trace the issue asks for, by batch size. */
const CPU_PER_TRACE_TARGETS: Record<number, number> = { 10: 50, 100: 15, 1000: 5 }
const GC_TARGET_SHARE = 0.1

const share = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '-')

/** The profile section: one breakdown column per profiled batch size, then the hottest functions of each. */
export function profileSection(rows: readonly ScenarioResult[]): string {
  const runs = rows.filter((r) => r.profile && !r.skipped)
  if (runs.length === 0) return 'No profiled run (all skipped).'
  const header = ['| bucket | what |', ...runs.map((r) => ` ${r.ids} IDs ms | share |`)].join('')
  const rule = ['|---|---|', ...runs.map(() => '--:|--:|')].join('')
  const lines = [header, rule]
  for (const bucket of BUCKETS) {
    if (runs.every((r) => r.profile!.breakdown.buckets[bucket] === 0)) continue
    const cells = runs.map((r) => ` ${r.profile!.breakdown.buckets[bucket].toFixed(0)} | ${share(r.profile!.breakdown.buckets[bucket], r.profile!.breakdown.cpuMs)} |`)
    lines.push(`| ${bucket} | ${BUCKET_NOTES[bucket]} |${cells.join('')}`)
  }
  lines.push(`| **sampled** | profile of the calling thread (readers, coordinator): wall time while busy, above its CPU on a loaded machine |${runs.map((r) => ` ${r.profile!.breakdown.cpuMs.toFixed(0)} | |`).join('')}`)
  lines.push(`| **process CPU** | process.cpuUsage over the request, all threads |${runs.map((r) => ` ${r.profile!.cpuMs.toFixed(0)} | |`).join('')}`)
  lines.push(`| **per found trace** | process CPU / traces found |${runs.map((r) => ` ${(r.profile!.cpuMs / Math.max(1, r.found)).toFixed(1)} | |`).join('')}`)
  for (const r of runs) {
    lines.push('', `Hottest functions, ${r.ids} IDs (self time; raw profile: \`${r.profile!.file}\`):`, '', '| function | bucket | ms | share |', '|---|---|--:|--:|')
    for (const { frame, bucket, ms } of r.profile!.breakdown.top) lines.push(`| \`${frame}\` | ${bucket} | ${ms.toFixed(0)} | ${share(ms, r.profile!.breakdown.cpuMs)} |`)
  }
  return lines.join('\n')
}

/** GC share and CPU per found trace against the issue's targets. */
export function profileTargets(rows: readonly ScenarioResult[]): TargetCheck[] {
  const targets: TargetCheck[] = []
  for (const r of rows) {
    if (!r.profile || r.skipped) continue
    const { breakdown, cpuMs } = r.profile
    const gc = breakdown.cpuMs > 0 ? breakdown.buckets.gc / breakdown.cpuMs : undefined
    targets.push({ name: `garbage collection < 10% of reader CPU (${r.ids} IDs)`, pass: gc === undefined ? undefined : gc < GC_TARGET_SHARE, measured: `${share(breakdown.buckets.gc, breakdown.cpuMs)} (${breakdown.buckets.gc.toFixed(0)} of ${breakdown.cpuMs.toFixed(0)} ms sampled)` })
    const limit = CPU_PER_TRACE_TARGETS[r.ids]
    if (limit !== undefined) {
      const per = cpuMs / Math.max(1, r.found)
      targets.push({ name: `reader CPU per found trace <= ${limit} ms (${r.ids} IDs, readers in-process, coordinator included)`, pass: per <= limit, measured: `${per.toFixed(1)} ms (${cpuMs.toFixed(0)} ms CPU, ${r.found} found)` })
    }
  }
  return targets
}
