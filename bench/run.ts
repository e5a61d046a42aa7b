import { execFileSync, spawn } from 'node:child_process'
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ScenarioName, ScenarioResult, ScenarioSpec, StoreKind } from './common.js'
import { openDataset, openTempoBench, pickIds, TEMPO_BENCH_ABSENT, type Dataset } from './data.js'
import { benchNode } from './node-binary.js'
import { BenchUsageError, benchUsage, parseBenchOptions, type BenchOptions } from './options.js'
import { compileProfileChild } from './profile/compile.js'
import { profileSection, profileTargets } from './profile/report.js'
import { checkTargets, scalingTable, scenarioTable, targetLines } from './report.js'
import { manyBlocksTable, processTable, processTargets } from './report-process.js'

/**
 * `npm run bench`: scenarios 1-6 of issue 4, each in its own child process (so peak RSS is its own),
 * against local files and a simulated S3 store; prints markdown and writes JSON to bench/results/.
 */
const benchDir = dirname(fileURLToPath(import.meta.url))
const log = (line: string) => process.stderr.write(`${line}\n`)
const options = readOptions(process.argv.slice(2))
const node = benchNode(options.node)
log(`bench: scenarios run on Node ${node.version} (${node.path})`)
// Whole-process rows run the built CLI: build it from the sources under test first.
if (options.build) {
  log('bench: building dist/ (npm run build) for the whole-process rows...')
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: join(benchDir, '..'), stdio: 'inherit' })
}
const dataset = await openDataset(options, log)
const ids = pickIds(dataset, options.present, options.absent, options.seed)
const mixed = [...ids.present, ...ids.absent]
const stamp = new Date().toISOString().replace(/[:.]/g, '-')
const scratch = join(benchDir, '.cache', `run-${stamp}`)
await mkdir(scratch, { recursive: true })

// Profiled children run compiled JS (see compile.ts); compiled once, before the first of them.
let profileChild: Promise<string> | undefined
let sequence = 0
interface ChildOptions {
  oneReader?: boolean
  /** Data other than the run's dataset (the extra sections). */
  data?: Dataset
  runs?: number
  lookups?: number
  /** Name checked against --skip (default: the scenario's). */
  skipAs?: string
}
async function runChild(scenario: ScenarioName, store: StoreKind, label: string, wanted: string[], present: number, extra: ChildOptions = {}): Promise<ScenarioResult> {
  const base = { label, scenario, store, ids: wanted.length, found: 0, notes: [] as string[] }
  const skipAs = extra.skipAs ?? scenario
  if (options.skip.has(skipAs)) return { ...base, skipped: `--skip ${skipAs}` }
  const data = extra.data ?? dataset
  const n = ++sequence
  const spec: ScenarioSpec = {
    scenario,
    store,
    root: data.root,
    tenant: data.tenant,
    ids: wanted,
    present,
    latencyMs: options.latencyMs,
    bandwidthMbps: options.bandwidthMbps,
    label,
    naiveRows: options.naiveRows,
    oneReader: extra.oneReader ?? false,
    runs: extra.runs,
    lookups: extra.lookups,
    pool: options.pool,
    profileFile: scenario === 'profile' ? join(benchDir, '.cache', 'profiles', `${stamp}-${n}.cpuprofile`) : undefined,
    resultFile: join(scratch, `result-${n}.json`),
    scratch: join(scratch, `parts-${n}`),
  }
  const specFile = join(scratch, `spec-${n}.json`)
  await writeFile(specFile, JSON.stringify(spec))
  // Naive hyparquet may need gigabytes; give it room but let a blow-up be reported, not fatal.
  const heap = scenario === 'naive' ? ['--max-old-space-size=3072'] : []
  log(`bench: ${label} (${store}, ${wanted.length} IDs)...`)
  const started = performance.now()
  const entry = scenario === 'profile' ? [await (profileChild ??= compileProfileChild(join(benchDir, '..')))] : ['--import', 'tsx', join(benchDir, 'child.ts')]
  const { code, signal, stderr } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    const child = spawn(node.path, ['--expose-gc', ...heap, ...entry, specFile], { stdio: ['ignore', 'inherit', 'pipe'] })
    let err = ''
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4000)))
    const timer = setTimeout(() => child.kill('SIGKILL'), 20 * 60_000)
    child.on('close', (c, s) => {
      clearTimeout(timer)
      resolve({ code: c, signal: s, stderr: err })
    })
  })
  if (code !== 0) {
    const oom = /heap out of memory|Allocation failed/i.test(stderr)
    const reason = oom ? 'ran out of memory (3 GB heap)' : `child failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' ').slice(0, 300)}`
    log(`bench:   ${reason}`)
    return { ...base, skipped: reason }
  }
  const result = JSON.parse(await readFile(spec.resultFile, 'utf8')) as ScenarioResult
  // Each row as it arrives, so an interrupted run still leaves its measurements.
  await appendFile(join(scratch, '..', `progress-${stamp}.ndjson`), JSON.stringify(result) + '\n')
  log(`bench:   ${((performance.now() - started) / 1000).toFixed(1)} s (wall in scenario ${result.wallMs === undefined ? 'n/a' : (result.wallMs / 1000).toFixed(2)} s)`)
  return result
}

const rows: ScenarioResult[] = []
for (const store of ['local', 's3sim'] as const) rows.push(await runChild('batch', store, '1 batch', mixed, ids.present.length))
for (const store of ['local', 's3sim'] as const) rows.push(await runChild('single', store, '2 single lookups', mixed, ids.present.length))
rows.push(await runChild('duckdb', 'local', '3 duckdb', mixed, ids.present.length))
for (const store of ['local', 's3sim'] as const) rows.push(await runChild('naive', store, '4 naive hyparquet', mixed, ids.present.length))
rows.push(await runChild('floor', 'local', '5 floor', mixed, ids.present.length))

const scaling: ScenarioResult[] = []
for (const size of options.sizes) {
  const wanted = pickIds(dataset, size, 0, options.seed + size).present
  for (const store of ['local', 's3sim'] as const) scaling.push(await runChild('batch', store, `6 scaling ${size}`, wanted, wanted.length))
  // The RSS target is about one reader: all blocks in one shard, read in-process, nothing else running.
  if (size === 1000) scaling.push(await runChild('batch', 'local', `6 one reader ${size}`, wanted, wanted.length, { oneReader: true }))
}

// Whole-process fetches and the server's single lookups, on Tempo's own bench blocks (issue 9's targets).
const tempoData = await openTempoBench(log)
const processRows: ScenarioResult[] = []
if (tempoData) {
  const tempoIds = pickIds(tempoData, 100, 0, options.seed).present
  processRows.push(await runChild('cli', 'local', '7 fetch, whole process', tempoIds, tempoIds.length, { data: tempoData, runs: options.runs }))
  processRows.push(await runChild('cli', 'local', '7 fetch, whole process', tempoIds.slice(0, 1), 1, { data: tempoData, runs: options.runs }))
  processRows.push(await runChild('serve', 'local', '8 serve GET /api/v2/traces/{id}', tempoIds, tempoIds.length, { data: tempoData, lookups: options.lookups }))
}

// Many small blocks: per-block costs (discovery, bloom shards, footers, planning) made visible.
const manyRows: ScenarioResult[] = []
if (!options.skip.has('many-blocks')) {
  const many = await openDataset({ ...options, data: 'many-blocks' }, log)
  const manyIds = pickIds(many, 100, 0, options.seed).present
  for (const store of ['local', 's3sim'] as const) manyRows.push(await runChild('batch', store, '9 many blocks, batch', manyIds, manyIds.length, { data: many, skipAs: 'many-blocks' }))
  for (const store of ['local', 's3sim'] as const) manyRows.push(await runChild('batch', store, '9 many blocks, one reader', manyIds, manyIds.length, { data: many, oneReader: true, skipAs: 'many-blocks' }))
  manyRows.push(await runChild('cli', 'local', '9 many blocks, fetch whole process', manyIds, manyIds.length, { data: many, runs: options.runs, skipAs: 'many-blocks' }))
}

// `--profile`: each size once more, readers in-process under the CPU profiler (kept apart from the timed rows).
const profiles: ScenarioResult[] = []
if (options.profile) {
  for (const size of options.sizes) {
    const wanted = pickIds(dataset, size, 0, options.seed + size).present
    profiles.push(await runChild('profile', 'local', `10 profile ${size}`, wanted, wanted.length))
  }
}
await rm(scratch, { recursive: true, force: true })

const rssIds = options.sizes.includes(1000) ? 1000 : (options.sizes.at(-1) ?? 0)
const targets = [...checkTargets([...rows, ...scaling], rssIds), ...processTargets(processRows), ...profileTargets(profiles)]
const setting = `Node ${node.version}; ${dataset.description}; simulated S3: +${options.latencyMs} ms per request, ${options.bandwidthMbps} Mbit/s per request; ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown cpu'}); IDs: ${ids.present.length} present + ${ids.absent.length} absent (seed ${options.seed})`
// The working tree is shared with engineers editing the code under test: record exactly what ran.
const git = (args: string[]) => {
  try {
    return execFileSync('git', args, { cwd: join(benchDir, '..'), encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}
const code = { head: git(['rev-parse', '--short', 'HEAD']), dirty: git(['status', '--short', 'functions']).split('\n').filter(Boolean) }
const markdown = [
  `## tempo-batch bench (${new Date().toISOString()}, Node ${node.version})`,
  '',
  setting,
  '',
  `Code: ${code.head}${code.dirty.length > 0 ? ` plus uncommitted changes in ${code.dirty.length} files under functions/ at the end of the run` : ''}.`,
  '',
  scenarioTable(rows),
  '',
  '### Scaling (present IDs only)',
  '',
  scalingTable(scaling),
  '',
  '### Whole process and single lookups (Tempo\'s bench blocks)',
  '',
  tempoData ? processTable(processRows) : `skipped: ${TEMPO_BENCH_ABSENT}`,
  '',
  '### Many blocks',
  '',
  manyRows.length > 0 ? manyBlocksTable(manyRows) : 'skipped: --skip many-blocks',
  '',
  ...(options.profile ? ['### Reader profile (`--profile`: readers in-process, the measured request only)', '', profileSection(profiles), ''] : []),
  '### Targets',
  '',
  targetLines(targets),
  '',
].join('\n')
process.stdout.write(markdown + '\n')

const resultsDir = join(benchDir, 'results')
await mkdir(resultsDir, { recursive: true })
const file = join(resultsDir, `${stamp}-${options.data}${options.quick ? '-quick' : ''}.json`)
await writeFile(file, JSON.stringify({ createdAt: new Date().toISOString(), node, options: { ...options, skip: [...options.skip] }, dataset: { description: dataset.description, parameters: dataset.parameters }, setting, code, rows, scaling, processRows, manyRows, profiles, targets }, null, 1) + '\n')
log(`bench: results written to ${file}`)

// --help and bad arguments end here with a line of text, not a stack trace.
function readOptions(argv: string[]): BenchOptions {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(benchUsage + '\n')
    process.exit(0)
  }
  try {
    return parseBenchOptions(argv)
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error
    process.stderr.write(`${error.message}\n${benchUsage.split('\n')[0]}\n`)
    process.exit(2)
  }
}
