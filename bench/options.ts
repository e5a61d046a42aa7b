import { parseArgs } from 'node:util'
import type { ScenarioName } from './common.js'

/** `npm run bench -- --help`. */
export const benchUsage = `usage: npm run bench -- [--quick] [--data generated|tempo-bench|many-blocks] [--sizes 10,100,1000,10000]
       [--skip batch,single,duckdb,naive,floor,cli,serve,many-blocks] [--present N] [--absent N] [--naive-rows N] [--seed N]
       [--latency-ms N] [--bandwidth-mbps N] [--pool] [--profile] [--no-build] [--runs N] [--lookups N] [--node PATH]
(details in bench/README.md)`

/** Names `--skip` accepts: the scenarios, and `many-blocks` for the whole many-blocks section. */
export const SCENARIOS: readonly (ScenarioName | 'many-blocks')[] = ['batch', 'single', 'duckdb', 'naive', 'floor', 'cli', 'serve', 'many-blocks']

/** A bad bench argument: printed as one line with the usage, exit code 2. */
export class BenchUsageError extends Error {}

/** The bench's command-line options, parsed and defaulted. */
export interface BenchOptions {
  /** A small tenant so the whole bench runs in a few minutes. */
  quick: boolean
  /** `generated` or `many-blocks` (cached under bench/.cache), or `tempo-bench` (the shared Tempo-written bench blocks). */
  data: 'generated' | 'tempo-bench' | 'many-blocks'
  latencyMs: number
  /** Per-request bandwidth cap of the simulated S3 store. */
  bandwidthMbps: number
  sizes: number[]
  skip: Set<string>
  /** Present IDs of scenario 1-5 (absent ones are a fifth of this, as 100 + 20). */
  present: number
  absent: number
  /** Naive hyparquet reads at most this many rows (it takes seconds and ~1 GB per row on big pages). */
  naiveRows: number
  seed: number
  /** Local batches on the embedded worker pool instead of in-process readers. */
  pool: boolean
  /** Build dist/ before the whole-process rows (default true; `--no-build` when it is fresh). */
  build: boolean
  /** Whole-process fetches: runs per row (median reported). */
  runs: number
  /** Serve: lookups measured. */
  lookups: number
  /** Also run each batch size once more under the CPU profiler and print where reader CPU goes. */
  profile: boolean
  /** Node binary for the scenario children (`--node`; see `benchNode` for the defaults). */
  node?: string
}

/** Parse `process.argv`-style arguments; throws `BenchUsageError` on unknown flags or bad values. */
export function parseBenchOptions(argv: string[]): BenchOptions {
  let parsed
  try {
    parsed = parseBenchArgs(argv)
  } catch (error) {
    if (error instanceof BenchUsageError) throw error
    throw new BenchUsageError(`bench: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]!.replace(/\. To specify .*/, '')}`)
  }
  const { values } = parsed
  const data = values.data
  if (data !== 'generated' && data !== 'tempo-bench' && data !== 'many-blocks') throw new BenchUsageError(`bench: --data ${JSON.stringify(data)} is not generated, tempo-bench or many-blocks`)
  const skip = new Set(values.skip.split(',').map((s) => s.trim()).filter(Boolean))
  const unknown = [...skip].filter((name) => !(SCENARIOS as readonly string[]).includes(name))
  if (unknown.length > 0) throw new BenchUsageError(`bench: --skip ${unknown.map((n) => JSON.stringify(n)).join(', ')} is not a scenario (${SCENARIOS.join(', ')})`)
  const quick = values.quick
  return {
    quick,
    data,
    latencyMs: number(values['latency-ms'], '--latency-ms'),
    bandwidthMbps: number(values['bandwidth-mbps'], '--bandwidth-mbps'),
    sizes: (values.sizes ?? (quick ? '10,100,1000' : '10,100,1000,10000')).split(',').map((s) => number(s, '--sizes')),
    skip,
    present: number(values.present, '--present'),
    absent: number(values.absent, '--absent'),
    naiveRows: number(values['naive-rows'], '--naive-rows'),
    seed: number(values.seed, '--seed'),
    pool: values.pool,
    profile: values.profile,
    build: !values['no-build'],
    runs: Math.max(1, number(values.runs, '--runs')),
    lookups: Math.max(1, number(values.lookups, '--lookups')),
    ...(values.node !== undefined ? { node: values.node } : {}),
  }
}

function parseBenchArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      data: { type: 'string', default: 'generated' },
      'latency-ms': { type: 'string', default: '30' },
      'bandwidth-mbps': { type: 'string', default: '640' },
      sizes: { type: 'string' },
      skip: { type: 'string', default: '' },
      present: { type: 'string', default: '100' },
      absent: { type: 'string', default: '20' },
      'naive-rows': { type: 'string', default: '3' },
      seed: { type: 'string', default: '7' },
      pool: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      runs: { type: 'string', default: '3' },
      lookups: { type: 'string', default: '100' },
      profile: { type: 'boolean', default: false },
      node: { type: 'string' },
    },
  })
}

function number(value: string, flag: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new BenchUsageError(`bench: ${flag} ${JSON.stringify(value)} is not a non-negative number`)
  return n
}
