import { spawn } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ScenarioResult, ScenarioSpec } from '../common.js'
import { benchPaths, median } from '../common.js'

/** One whole-process run: wall time as the caller sees it, CPU and peak RSS as the process reports them. */
export interface ProcessRun {
  wallMs: number
  cpuMs: number
  peakRssMb: number
  code: number | null
  stderr: string
}

/** Run the built CLI (`bin/tempo-batch.js`) as its own process with the probe preloaded. */
export async function runCli(args: string[], probeFile: string): Promise<ProcessRun> {
  const started = performance.now()
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', benchPaths.probe, benchPaths.cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, BENCH_PROBE_OUT: probeFile } })
    let err = ''
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-2000)))
    child.on('close', (c) => resolve({ code: c, stderr: err }))
  })
  const wallMs = performance.now() - started
  const probe = JSON.parse(await readFile(probeFile, 'utf8')) as { cpuMs: number; peakRssMb: number }
  return { wallMs, ...probe, code, stderr }
}

/**
 * Scenario 7: `tempo-batch fetch` as a user runs it, a whole process each time (start-up, module
 * loading, worker threads, discovery, reading, merge, result written and printed), `spec.runs` times
 * one after another; the row shows the median wall and CPU time and the largest peak RSS.
 */
export async function runCliFetchScenario(spec: ScenarioSpec): Promise<ScenarioResult> {
  await mkdir(spec.scratch, { recursive: true })
  const idsFile = join(spec.scratch, 'ids.txt')
  await writeFile(idsFile, spec.ids.join('\n') + '\n')
  const runs: ProcessRun[] = []
  for (let i = 0; i < (spec.runs ?? 3); i++) {
    const run = await runCli(['fetch', '--store', spec.root, '--tenant', spec.tenant, '--ids', idsFile, '--out', '/dev/null', '--results', join(spec.scratch, `results-${i}`)], join(spec.scratch, `probe-${i}.json`))
    if (run.code !== 0) throw new Error(`tempo-batch fetch exited ${run.code}: ${run.stderr.trim().split('\n').slice(-2).join(' ')}`)
    runs.push(run)
  }
  const found = Number(/: (\d+) found/.exec(runs[0]!.stderr)?.[1] ?? 0)
  const walls = runs.map((r) => r.wallMs)
  return {
    label: spec.label,
    scenario: 'cli',
    store: spec.store,
    ids: spec.ids.length,
    found,
    wallMs: median(walls),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    notes: [`${runs.length} runs, wall ms ${walls.map((w) => Math.round(w)).join('/')}, CPU ms ${runs.map((r) => Math.round(r.cpuMs)).join('/')}`],
  }
}
