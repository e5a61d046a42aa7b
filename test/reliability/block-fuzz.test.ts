import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { runBatch } from '../../functions/core/batch/coordinator.js'
import { parseBatchRequest } from '../../functions/core/contract/request.js'
import type { ResultLine } from '../../functions/core/contract/types.js'
import { BlockObjects as Names, TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { writeBlock } from '../../functions/generator/block-writer.js'
import { generateTenant } from '../../functions/generator/generate-tenant.js'
import { planTenant, type PlannedBlock } from '../../functions/generator/tenant-plan.js'
import { DEFAULT_DEDICATED_COLUMNS, dedicatedColumnsForFormat } from '../../functions/generator/tempo/dedicated.js'
import { memoryBatchDeps, resultLines } from '../support/memory-batch.js'
import { blockMutations, pageOffsets, type BlockObjects } from './support/block-mutations.js'
import { CaseTally } from './support/bad-requests.js'
import { SEED, report } from './support/seed.js'

/**
 * Issue 11, corrupt and hostile blocks: one block of a small generated tenant mutated (truncated, wrong
 * magic, footer length out of range, meta.json lying, pages and dictionaries corrupted, page headers
 * declaring huge sizes, bloom shards of the wrong size, objects deleted), then every ID read through the
 * batch path. Each case ends with the clean answer or the IDs the block may hold `partial` naming it,
 * within bounded time and memory, and never a wrong trace reported as found.
 */

const GENERATION = { format: 'vParquet4' as const, blocks: 2, tracesPerBlock: 10, rowGroupBytes: 8_000, pageBytes: 1_024, bloomShardBytes: 32, now: new Date('2026-01-15T12:00:00Z') }
const clean = new MemoryStore()
let ids: string[] = []
let target = ''
const objects: BlockObjects = new Map()
let reference = new Map<string, ResultLine>()
let pages: number[] = []

beforeAll(async () => {
  const summary = await generateTenant(clean, { tenant: 'fuzz', seed: 181, ...GENERATION })
  ids = [...summary.traceIds, 'ffffffffffffffffffffffffffffff01', '00000000000000000000000000000001']
  target = summary.blocks[1]!.blockId
  for (const key of clean.keys()) if (key.startsWith(`fuzz/${target}/`)) objects.set(key.slice(`fuzz/${target}/`.length), await clean.get(key))
  pages = pageOffsets(objects.get(Names.data)!)
  reference = await answer(clean)
})

async function answer(store: MemoryStore): Promise<Map<string, ResultLine>> {
  const deps = memoryBatchDeps(store, { discovery: { source: 'listing' } })
  const { manifest } = await runBatch(parseBatchRequest({ tenant: 'fuzz', traceIds: ids }), deps)
  return new Map((await resultLines(deps.resultStore, manifest)).map((l) => [l.traceId, l]))
}

/** The tenant with the target block's objects replaced by `mutated`. */
async function tenantWith(mutated: BlockObjects): Promise<MemoryStore> {
  const store = new MemoryStore()
  for (const key of clean.keys()) if (!key.startsWith(`fuzz/${target}/`) && !key.endsWith('index.json.gz') && !key.endsWith('index.pb.zst')) store.set(key, await clean.get(key))
  for (const [name, bytes] of mutated) store.set(`fuzz/${target}/${name}`, bytes)
  return store
}

/** Each line is the clean one, or `partial` naming the mutated block; a found trace is never another than the clean one. */
function expectSafe(lines: Map<string, ResultLine>, block: string, context: string): number {
  let partial = 0
  expect([...lines.keys()], context).toEqual([...reference.keys()])
  for (const [id, line] of lines) {
    const want = reference.get(id)!
    if (line.status === 'partial') {
      expect(line.message, context).toContain(block)
      partial++
      continue
    }
    expect(line, `${context}: ${id} answered differently without saying so`).toEqual(want)
  }
  return partial
}

const worst = { ms: 0, heapMb: 0, kind: '' }

describe('hostile blocks (property test, fixed seed)', () => {
  it('400 mutations of one block: the clean answer or partial naming the block, bounded time and memory, never a wrong trace', async () => {
    const tally = new CaseTally()
    let partialCases = 0
    await fc.assert(
      fc.asyncProperty(blockMutations({ parquet: objects.get(Names.data)!.length, bloomShards: [...objects.keys()].filter((n) => n.startsWith('bloom-')).length }, pages), async (mutation) => {
        tally.add(mutation.kind.replace(/ \(.*\)$| of \d+$/, ''))
        const store = await tenantWith(mutation.apply(objects))
        const heapBefore = process.memoryUsage().heapUsed
        let peak = heapBefore
        const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 10)
        const started = performance.now()
        let timer: NodeJS.Timeout | undefined
        try {
          const lines = await Promise.race([answer(store), new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`${mutation.kind}: no answer within 30 s`)), 30_000)))])
          if (expectSafe(lines, target, mutation.kind) > 0) partialCases++
        } finally {
          clearTimeout(timer)
          clearInterval(sampler)
        }
        const ms = performance.now() - started
        const heapMb = (Math.max(peak, process.memoryUsage().heapUsed) - heapBefore) / 1e6
        if (ms > worst.ms) Object.assign(worst, { ms, kind: mutation.kind })
        worst.heapMb = Math.max(worst.heapMb, heapMb)
        expect(heapMb, mutation.kind).toBeLessThan(512)
      }),
      { seed: SEED, numRuns: 400 },
    )
    report('block mutations', tally)
    console.log(`[reliability] block mutations: ${partialCases} cases answered partial for the mutated block, the rest the clean answer; worst time ${Math.round(worst.ms)} ms (${worst.kind}), worst heap growth ${worst.heapMb.toFixed(1)} MB`)
  }, 600_000)
})

describe('blocks whose trace IDs are unsorted or duplicated', () => {
  /** A one-block tenant written from `plan` rearranged by `arrange`. */
  async function written(arrange: (block: PlannedBlock) => PlannedBlock): Promise<MemoryStore> {
    const store = new MemoryStore()
    const [block] = planTenant({ seed: 191, blocks: 1, tracesPerBlock: 20 })
    await writeBlock(store, new TempoLayout(''), arrange(block!), {
      tenant: 'fuzz', format: 'vParquet4', dedicatedColumns: dedicatedColumnsForFormat('vParquet4', DEFAULT_DEDICATED_COLUMNS),
      rowGroupBytes: 8_000, pageBytes: 1_024, bloomFalsePositive: 0.01, bloomShardBytes: 32, createdBy: 'test',
    })
    return store
  }

  it.each<[string, (block: PlannedBlock) => PlannedBlock]>([
    ['reversed', (b) => ({ ...b, traces: [...b.traces].reverse() })],
    ['shuffled', (b) => ({ ...b, traces: b.traces.map((t, i) => ({ t, k: (i * 7) % b.traces.length })).sort((x, y) => x.k - y.k).map((x) => x.t) })],
    ['duplicated', (b) => ({ ...b, traces: b.traces.flatMap((t, i) => (i % 3 === 0 ? [t, t] : [t])) })],
  ])('%s IDs: each ID is answered as in the sorted block or partial, never another trace', async (_name, arrange) => {
    const sorted = await written((b) => b)
    const hostile = await written(arrange)
    const [block] = planTenant({ seed: 191, blocks: 1, tracesPerBlock: 20 })
    const want = block!.traces.map((t) => Buffer.from(t.traceId).toString('hex'))
    const read = async (store: MemoryStore) => {
      const deps = memoryBatchDeps(store)
      const { manifest } = await runBatch(parseBatchRequest({ tenant: 'fuzz', traceIds: want }), deps)
      return resultLines(deps.resultStore, manifest)
    }
    const expected = await read(sorted)
    const got = await read(hostile)
    got.forEach((line, i) => {
      if (line.status !== 'partial') expect(line, line.traceId).toEqual(expected[i])
    })
  })
})
