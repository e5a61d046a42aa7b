import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FsStore } from '../functions/adapters/fs-store.js'
import { traceIdToHex } from '../functions/core/contract/trace-id.js'
import { generateTenant, type GenerateTenantOptions } from '../functions/generator/generate-tenant.js'
import { Prng } from '../functions/generator/synth/prng.js'
import { planTenant } from '../functions/generator/tenant-plan.js'
import type { BenchOptions } from './options.js'

/** Where the bench reads from, and which IDs it may ask for. */
export interface Dataset {
  /** Directory holding `<tenant>/<blockID>/...`. */
  root: string
  tenant: string
  /** What the data is, for the report. */
  description: string
  /** Every trace ID the tenant holds (32 hex), in a stable order. */
  presentIds: string[]
  /** Generation parameters (generated data only). */
  parameters?: Record<string, unknown>
}

const benchDir = dirname(fileURLToPath(import.meta.url))
const TENANT = 'bench'

type GenerationParameters = Omit<GenerateTenantOptions, 'tenant' | 'onBlock' | 'now'>

/** Generation parameters of the default and the quick tenant (Tempo's row-group and page sizes). */
export function generationParameters(quick: boolean): GenerationParameters {
  return quick
    ? { format: 'vParquet4', blocks: 4, tracesPerBlock: 1500, seed: 42, rowGroupBytes: 100_000_000, pageBytes: 262_144 }
    : { format: 'vParquet4', blocks: 16, tracesPerBlock: 9375, seed: 42, rowGroupBytes: 100_000_000, pageBytes: 262_144 }
}

/**
 * The many-blocks tenant: 1,000 small blocks of 20 traces (a tenant of fresh level-0 blocks, as
 * ingesters flush them), so the per-block costs (discovery, bloom shards, footers, planning) dominate.
 */
export const MANY_BLOCKS_PARAMETERS: GenerationParameters = { format: 'vParquet4', blocks: 1000, tracesPerBlock: 20, seed: 43, rowGroupBytes: 100_000_000, pageBytes: 262_144 }

/** Open (generating and caching when needed) the data the options name. */
export async function openDataset(options: BenchOptions, log: (line: string) => void): Promise<Dataset> {
  if (options.data === 'tempo-bench') return tempoBench()
  return generatedDataset(options.data === 'many-blocks' ? MANY_BLOCKS_PARAMETERS : generationParameters(options.quick), log)
}

/** A generated tenant, cached under bench/.cache by a hash of its parameters. */
export async function generatedDataset(parameters: GenerationParameters, log: (line: string) => void): Promise<Dataset> {
  const key = createHash('sha256').update(JSON.stringify(parameters)).digest('hex').slice(0, 12)
  const root = join(benchDir, '.cache', `tenant-${key}`)
  const done = join(root, 'summary.json')
  if (!existsSync(done)) {
    const building = `${root}.partial`
    await rm(building, { recursive: true, force: true })
    await mkdir(building, { recursive: true })
    log(`bench: generating ${parameters.blocks} blocks x ${parameters.tracesPerBlock} traces into ${root} (cached for later runs)`)
    const summary = await generateTenant(new FsStore(building), {
      ...parameters,
      tenant: TENANT,
      onBlock: (b) => {
        if (parameters.blocks <= 100) log(`bench:   block ${b.blockId}: ${b.traces} traces, ${b.spans} spans, ${b.rowGroups} row groups, ${(b.bytes / 1e6).toFixed(1)} MB`)
      },
    })
    const { metas: _metas, replicatedTraceIds: _r, splitTraceIds: _s, ...brief } = summary
    await writeFile(join(building, 'summary.json'), JSON.stringify(brief, null, 1))
    await rm(root, { recursive: true, force: true })
    await rename(building, root)
    log(`bench: generated ${summary.traces} traces, ${summary.spans} spans, ${(summary.bytes / 1e6).toFixed(0)} MB in ${(summary.elapsedMs / 1000).toFixed(0)} s`)
  }
  const summary = JSON.parse(await readFile(done, 'utf8')) as { traces: number; spans: number; bytes: number; blocks: unknown[] }
  const ids = new Set<string>()
  for (const block of planTenant({ ...parameters, seed: parameters.seed ?? 1 })) for (const t of block.traces) ids.add(traceIdToHex(t.traceId))
  return {
    root,
    tenant: TENANT,
    description: `generated vParquet4 tenant: ${summary.blocks.length} blocks, ${summary.traces} traces, ${summary.spans} spans, ${(summary.bytes / 1e6).toFixed(0)} MB, row groups <= ${(parameters.rowGroupBytes! / 1e6).toFixed(0)} MB, pages ${parameters.pageBytes! / 1024} KiB`,
    presentIds: [...ids],
    parameters: { ...parameters, key },
  }
}

// The same folder the tests use: ../shared beside the repository, or TEMPO_BATCH_SHARED.
const tempoBenchBase = join(resolve(process.env.TEMPO_BATCH_SHARED ?? join(benchDir, '../../shared')), 'fixtures/tempo-generated/bench')

/** Why the rows on Tempo's bench blocks are missing when they are. */
export const TEMPO_BENCH_ABSENT = `Tempo's bench blocks are absent (${join(tempoBenchBase, 'vParquet4', TENANT)}; set TEMPO_BATCH_SHARED)`

/** Tempo's bench tenant, or undefined (logged) when the shared fixtures are absent. */
export async function openTempoBench(log: (line: string) => void): Promise<Dataset | undefined> {
  if (existsSync(join(tempoBenchBase, 'vParquet4', TENANT))) return tempoBench()
  log(`bench: ${TEMPO_BENCH_ABSENT}`)
  return undefined
}

async function tempoBench(): Promise<Dataset> {
  const base = tempoBenchBase
  const root = join(base, 'vParquet4')
  if (!existsSync(join(root, TENANT))) throw new Error(`bench: --data tempo-bench needs ${root}/${TENANT}, which is absent`)
  const ids = (await readFile(join(base, 'ids.txt'), 'utf8')).split('\n').map((s) => s.trim()).filter(Boolean)
  return { root, tenant: TENANT, description: `Tempo-written vParquet4 bench tenant (${root}), ${ids.length} IDs from ids.txt`, presentIds: ids }
}

/** `present` distinct IDs drawn from the tenant and `absent` random IDs it does not hold, for a seed. */
export function pickIds(dataset: Dataset, present: number, absent: number, seed: number): { present: string[]; absent: string[] } {
  const rng = new Prng(seed)
  const pool = [...dataset.presentIds]
  const chosen: string[] = []
  for (let i = 0; i < Math.min(present, pool.length); i++) {
    const j = i + rng.int(pool.length - i)
    ;[pool[i], pool[j]] = [pool[j]!, pool[i]!]
    chosen.push(pool[i]!)
  }
  const held = new Set(dataset.presentIds)
  const missing: string[] = []
  while (missing.length < absent) {
    const hex = Buffer.from(rng.bytes(16)).toString('hex')
    if (!held.has(hex)) missing.push(hex)
  }
  return { present: chosen, absent: missing }
}
