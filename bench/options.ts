import { parseArgs } from 'node:util'

/** The bench's command-line options, parsed and defaulted. */
export interface BenchOptions {
  /** A small tenant so the whole bench runs in a few minutes. */
  quick: boolean
  /** `generated` (cached under bench/.cache) or `tempo-bench` (the shared Tempo-written bench blocks). */
  data: 'generated' | 'tempo-bench'
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
  /** Node binary for the scenario children (`--node`; see `benchNode` for the defaults). */
  node?: string
}

/** Parse `process.argv`-style arguments; throws on unknown flags. */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
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
      node: { type: 'string' },
    },
  })
  const data = values.data
  if (data !== 'generated' && data !== 'tempo-bench') throw new Error(`bench: --data ${JSON.stringify(data)} is not generated or tempo-bench`)
  const quick = values.quick
  return {
    quick,
    data,
    latencyMs: number(values['latency-ms'], '--latency-ms'),
    bandwidthMbps: number(values['bandwidth-mbps'], '--bandwidth-mbps'),
    sizes: (values.sizes ?? (quick ? '10,100,1000' : '10,100,1000,10000')).split(',').map((s) => number(s, '--sizes')),
    skip: new Set(values.skip.split(',').map((s) => s.trim()).filter(Boolean)),
    present: number(values.present, '--present'),
    absent: number(values.absent, '--absent'),
    naiveRows: number(values['naive-rows'], '--naive-rows'),
    seed: number(values.seed, '--seed'),
    pool: values.pool,
    ...(values.node !== undefined ? { node: values.node } : {}),
  }
}

function number(value: string, flag: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new Error(`bench: ${flag} ${JSON.stringify(value)} is not a non-negative number`)
  return n
}
