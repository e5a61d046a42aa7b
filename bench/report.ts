import type { ScenarioResult } from './common.js'

/** One target line: what was measured against what was promised. */
export interface TargetCheck {
  name: string
  pass: boolean | undefined
  measured: string
}

const mb = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : (bytes / 1e6).toFixed(2))
const seconds = (ms: number | undefined) => (ms === undefined ? 'n/a' : (ms / 1000).toFixed(2))

/** The main table, one row per scenario and store. */
export function scenarioTable(rows: readonly ScenarioResult[]): string {
  const lines = [
    '| scenario | store | IDs | found | wall s | requests | MB read | peak RSS MB | spans/s | notes |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|---|',
  ]
  for (const r of rows) {
    if (r.skipped) {
      lines.push(`| ${r.label} | ${r.store} | ${r.ids} | - | - | - | - | - | - | skipped: ${r.skipped} |`)
      continue
    }
    const rate = r.spans !== undefined && r.wallMs ? Math.round((r.spans / r.wallMs) * 1000).toLocaleString('en-US') : 'n/a'
    lines.push(
      `| ${r.label} | ${r.store} | ${r.ids} | ${r.found} | ${seconds(r.wallMs)} | ${r.requests ?? 'n/a'} | ${r.bytesRead === undefined ? 'n/a' : mb(r.bytesRead)} | ${r.peakRssMb ?? 'n/a'} | ${rate} | ${r.notes.join('; ').replaceAll('|', '/')} |`,
    )
  }
  return lines.join('\n')
}

/** Scenario 6: per-trace cost by batch size. */
export function scalingTable(rows: readonly ScenarioResult[]): string {
  const mode = (r: ScenarioResult) => (r.label.includes('one reader') ? `${r.store}, one reader in-process` : r.notes.some((n) => n.includes('worker threads')) ? `${r.store}, worker pool` : `${r.store}, readers in-process`)
  const lines = ['| IDs | store | wall s | ms / trace | KB read / trace | requests | peak RSS MB |', '|--:|---|--:|--:|--:|--:|--:|']
  for (const r of rows) {
    if (r.skipped || r.wallMs === undefined) {
      lines.push(`| ${r.ids} | ${mode(r)} | skipped: ${r.skipped ?? 'no result'} | | | | |`)
      continue
    }
    const per = Math.max(1, r.found)
    lines.push(`| ${r.ids} | ${mode(r)} | ${seconds(r.wallMs)} | ${(r.wallMs / per).toFixed(2)} | ${((r.bytesRead ?? 0) / per / 1000).toFixed(1)} | ${r.requests ?? 'n/a'} | ${r.peakRssMb ?? 'n/a'} |`)
  }
  return lines.join('\n')
}

/** The target lines, each PASS, MISS or N/A with its measured ratio. */
export function targetLines(targets: readonly TargetCheck[]): string {
  return targets.map((t) => `- **${t.pass === undefined ? 'N/A' : t.pass ? 'PASS' : 'MISS'}** ${t.name}: ${t.measured}`).join('\n')
}

/** The target checks from one run's rows. */
export function checkTargets(rows: readonly ScenarioResult[], rssScalingIds: number): TargetCheck[] {
  const find = (label: string, store: string) => rows.find((r) => r.label === label && r.store === store && !r.skipped)
  const batchS3 = find('1 batch', 's3sim')
  const singleS3 = find('2 single lookups', 's3sim')
  const batchLocal = find('1 batch', 'local')
  const duck = find('3 duckdb', 'local')
  const floor = find('5 floor', 'local')
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : undefined)
  const fmt = (x: number | undefined, digits = 1) => (x === undefined ? 'n/a' : `${x.toFixed(digits)}x`)
  const targets: TargetCheck[] = []

  const speedup = ratio(singleS3?.wallMs, batchS3?.wallMs)
  targets.push({ name: 'batch >= 20x faster than single lookups (simulated S3)', pass: speedup === undefined ? undefined : speedup >= 20, measured: `${fmt(speedup)} (${seconds(singleS3?.wallMs)} s vs ${seconds(batchS3?.wallMs)} s)` })
  const fewer = ratio(singleS3?.requests, batchS3?.requests)
  targets.push({ name: 'batch >= 10x fewer requests than single lookups', pass: fewer === undefined ? undefined : fewer >= 10, measured: `${fmt(fewer)} (${singleS3?.requests ?? 'n/a'} vs ${batchS3?.requests ?? 'n/a'})` })
  const vsDuck = ratio(duck?.wallMs, batchLocal?.wallMs)
  targets.push({ name: 'batch faster than DuckDB (local files)', pass: vsDuck === undefined ? undefined : vsDuck > 1, measured: `${fmt(vsDuck, 2)} (DuckDB ${seconds(duck?.wallMs)} s vs batch ${seconds(batchLocal?.wallMs)} s)` })
  const duckBytes = ratio(duck?.bytesRead, batchLocal?.bytesRead)
  targets.push({ name: 'batch reads <= 1/5 of the bytes DuckDB reads', pass: duckBytes === undefined ? undefined : duckBytes >= 5, measured: `DuckDB reads ${fmt(duckBytes)} our bytes (${mb(duck?.bytesRead)} MB vs ${mb(batchLocal?.bytesRead)} MB)` })
  const overFloor = ratio(batchLocal?.bytesRead, floor?.bytesRead)
  targets.push({ name: 'batch bytes <= 1.3x the floor', pass: overFloor === undefined ? undefined : overFloor <= 1.3, measured: `${fmt(overFloor, 2)} (${mb(batchLocal?.bytesRead)} MB vs floor ${mb(floor?.bytesRead)} MB)` })
  const reader = rows.find((r) => r.label === `6 one reader ${rssScalingIds}` && !r.skipped)
  const whole = rows.filter((r) => r.label === `6 scaling ${rssScalingIds}` && !r.skipped).map((r) => `${r.store} ${r.peakRssMb ?? 'n/a'} MB`)
  targets.push({
    name: `reader peak RSS < 512 MB for ${rssScalingIds} IDs (one reader, all blocks, in-process, whole child process)`,
    pass: reader?.peakRssMb === undefined ? undefined : reader.peakRssMb < 512,
    measured: `${reader?.peakRssMb ?? 'n/a'} MB (embedded runs for comparison, coordinator + all readers in one process: ${whole.join(', ') || 'n/a'})`,
  })
  return targets
}
