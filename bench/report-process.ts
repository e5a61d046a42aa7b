import type { ScenarioResult } from './common.js'
import type { TargetCheck } from './report.js'

const ms = (value: number | undefined, digits = 0) => (value === undefined ? 'n/a' : value.toFixed(digits))

/** Scenarios 7-8: whole-process fetches and the server's single lookups. */
export function processTable(rows: readonly ScenarioResult[]): string {
  const lines = ['| scenario | IDs | found | wall ms (median) | CPU ms (median) | p50 ms | p90 ms | peak RSS MB | notes |', '|---|--:|--:|--:|--:|--:|--:|--:|---|']
  for (const r of rows) {
    if (r.skipped) {
      lines.push(`| ${r.label} | ${r.ids} | - | - | - | - | - | - | skipped: ${r.skipped} |`)
      continue
    }
    const serve = r.scenario === 'serve'
    lines.push(
      `| ${r.label} | ${r.ids} | ${r.found} | ${serve ? 'n/a' : ms(r.wallMs)} | ${ms(r.cpuMs, serve ? 1 : 0)}${serve ? ' / lookup' : ''} | ${ms(r.p50Ms, 1)} | ${ms(r.p90Ms, 1)} | ${r.peakRssMb ?? 'n/a'} | ${r.notes.join('; ').replaceAll('|', '/')} |`,
    )
  }
  return lines.join('\n')
}

/** Scenario 9: the many-blocks tenant, with the cost per block searched. */
export function manyBlocksTable(rows: readonly ScenarioResult[]): string {
  const lines = ['| scenario | store | IDs | found | wall s | CPU s | blocks | ms / block (wall) | CPU ms / block | requests | MB read | peak RSS MB | notes |', '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|']
  for (const r of rows) {
    if (r.skipped || r.wallMs === undefined) {
      lines.push(`| ${r.label} | ${r.store} | ${r.ids} | - | - | - | - | - | - | - | - | - | skipped: ${r.skipped ?? 'no result'} |`)
      continue
    }
    const blocks = r.blocks
    const perBlock = (value: number | undefined) => (value !== undefined && blocks ? (value / blocks).toFixed(2) : 'n/a')
    lines.push(
      `| ${r.label} | ${r.store} | ${r.ids} | ${r.found} | ${(r.wallMs / 1000).toFixed(2)} | ${r.cpuMs === undefined ? 'n/a' : (r.cpuMs / 1000).toFixed(2)} | ${blocks ?? 'n/a'} | ${perBlock(r.wallMs)} | ${perBlock(r.cpuMs)} | ${r.requests ?? 'n/a'} | ${r.bytesRead === undefined ? 'n/a' : (r.bytesRead / 1e6).toFixed(1)} | ${r.peakRssMb ?? 'n/a'} | ${r.notes.join('; ').replaceAll('|', '/')} |`,
    )
  }
  return lines.join('\n')
}

/** Issue 9's whole-process and lookup targets. */
export function processTargets(rows: readonly ScenarioResult[]): TargetCheck[] {
  const fetchOf = (ids: number) => rows.find((r) => r.scenario === 'cli' && r.ids === ids && !r.skipped)
  const serve = rows.find((r) => r.scenario === 'serve' && !r.skipped)
  const under = (value: number | undefined, limit: number): boolean | undefined => (value === undefined ? undefined : value < limit)
  const hundred = fetchOf(100)
  const one = fetchOf(1)
  return [
    { name: "Tempo's bench blocks, 100 IDs, `tempo-batch fetch` whole process < 1 s", pass: under(hundred?.wallMs, 1000), measured: `${ms(hundred?.wallMs)} ms median wall (CPU ${ms(hundred?.cpuMs)} ms)` },
    { name: 'one ID, `tempo-batch fetch` whole process < 300 ms', pass: under(one?.wallMs, 300), measured: `${ms(one?.wallMs)} ms median wall (CPU ${ms(one?.cpuMs)} ms)` },
    { name: '`serve` single lookups p50 < 15 ms', pass: under(serve?.p50Ms, 15), measured: `p50 ${ms(serve?.p50Ms, 1)} ms, p90 ${ms(serve?.p90Ms, 1)} ms` },
  ]
}
