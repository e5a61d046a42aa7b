import { spawn } from 'node:child_process'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { TEMPO_OPEN_FILES } from '../../functions/adapters/embedded-reader-deps.js'
import { benchPaths, median, type ScenarioResult, type ScenarioSpec } from '../common.js'
import { lookupPhases } from '../lookup-phases.js'

/** Lookups made before measuring: the server's caches and JIT warm up on IDs not measured later. */
const WARM_UP = 20

/**
 * Scenario 8: `tempo-batch serve` as its own process, warm, answering Grafana-style single lookups
 * (`GET /api/v2/traces/{id}`, JSON) one after another on loopback: latency as the client sees it
 * (p50, p90), and where a lookup's time goes (phases of the same lookups run in this process).
 */
export async function runServeScenario(spec: ScenarioSpec): Promise<ScenarioResult> {
  await mkdir(spec.scratch, { recursive: true })
  const probeFile = join(spec.scratch, 'serve-probe.json')
  const child = spawn(process.execPath, ['--import', benchPaths.probe, benchPaths.cli, 'serve', '--store', spec.root, '--port', '0', '--results', join(spec.scratch, 'results')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, BENCH_PROBE_OUT: probeFile },
  })
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()))
  let result: ScenarioResult
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let err = ''
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString()
        const match = /listening on (\S+)/.exec(err)
        if (match) resolve(match[1]!)
      })
      child.on('close', (code) => reject(new Error(`tempo-batch serve exited ${code}: ${err.trim().slice(-300)}`)))
    })
    const lookup = async (id: string): Promise<{ ms: number; found: boolean }> => {
      const started = performance.now()
      const response = await fetch(`${url}/api/v2/traces/${id}`, { headers: { 'X-Scope-OrgID': spec.tenant } })
      const body = await response.text()
      if (response.status !== 200) throw new Error(`lookup ${id}: HTTP ${response.status} ${body.slice(0, 200)}`)
      return { ms: performance.now() - started, found: body.startsWith('{"trace":{"resourceSpans"') }
    }
    const wanted = spec.ids.slice(0, spec.lookups ?? 100)
    // Warm-up IDs are the measured ones in reverse: nothing measured was looked up just before.
    for (const id of [...wanted].reverse().slice(0, WARM_UP)) await lookup(id)
    const cpuBefore = await serverCpuMs(child.pid!)
    const results: { ms: number; found: boolean }[] = []
    for (const id of wanted) results.push(await lookup(id))
    const cpuMs = (await serverCpuMs(child.pid!)) - cpuBefore
    const times = results.map((r) => r.ms).sort((a, b) => a - b)
    const phases = await lookupPhases(new FsStore(spec.root, { openFiles: TEMPO_OPEN_FILES }), spec.tenant, wanted.slice(0, 30))
    result = {
      label: spec.label,
      scenario: 'serve',
      store: spec.store,
      ids: wanted.length,
      found: results.filter((r) => r.found).length,
      wallMs: times.reduce((a, b) => a + b, 0),
      p50Ms: median(times),
      p90Ms: times[Math.min(times.length - 1, Math.floor(times.length * 0.9))]!,
      cpuMs: cpuMs / wanted.length,
      notes: [
        `${wanted.length} lookups one after another after ${WARM_UP} warm-up; server CPU per lookup ${(cpuMs / wanted.length).toFixed(1)} ms; min ${times[0]!.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`,
        `phases per lookup, in-process ms: ${phases}`,
      ],
    }
  } finally {
    child.kill('SIGTERM')
    await exited
  }
  // The probe writes the server's peak RSS as it exits.
  result.peakRssMb = (JSON.parse(await readFile(probeFile, 'utf8')) as { peakRssMb: number }).peakRssMb
  return result
}

// The server's CPU so far (every thread), from /proc: the probe only reports at exit.
async function serverCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
}
