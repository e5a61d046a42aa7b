import { describe, expect, it } from 'vitest'
import { executeBatch, type CoordinatorDeps } from '../../functions/core/batch/coordinator.js'
import type { BlockMeta } from '../../functions/core/blocks/block-meta.js'
import { finalizeStage } from '../../functions/core/combine/finalize.js'
import { parseBatchRequest } from '../../functions/core/contract/request.js'
import type { Invoker, ReaderJob } from '../../functions/core/contract/types.js'
import { MissingPartError, memoryParts, storedParts, type PartExchange } from '../../functions/core/results/part-exchange.js'
import { emptyStats } from '../../functions/core/batch/stats.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { fakeTrace, spanNames } from './fake-traces.js'

const ID = 'a'.repeat(32)
const block: BlockMeta = {
  format: 'vParquet4', blockId: '00000000-0000-0000-0000-000000000001', tenantId: 't', startTimeUnixNano: 0n, endTimeUnixNano: 1n,
  totalObjects: 1, size: 1, compactionLevel: 0, totalRecords: 1, bloomShards: 1, footerSize: 1, dedicatedColumns: [], replicationFactor: 1,
}

/** An invoker whose one reader finds ID in its block and writes it into `parts`; records the part keys it was given. */
function fakeReaders(parts: PartExchange, keys: string[]): Invoker {
  return {
    async invoke(job: ReaderJob) {
      keys.push(job.partKey)
      const trace = fakeTrace(ID, [{ id: 1, start: 1 }])
      const writer = parts.open(job.partKey)
      await writer.write({ traceId: ID, contributors: 1, exceeded: false, trace, finalized: finalizeStage(trace, 1) })
      await writer.finish()
      return { shard: job.shard, partKey: job.partKey, tracesFound: 1, failedBlocks: [], stats: emptyStats(), durationMs: 0 }
    },
  }
}

async function run(options: { compressParts?: boolean; memory?: boolean }) {
  const resultStore = new MemoryStore()
  const parts = options.memory ? memoryParts() : storedParts(resultStore)
  const keys: string[] = []
  const deps: CoordinatorDeps = {
    tempoStore: new MemoryStore(), layout: new TempoLayout(''), resultStore, resultsPrefix: 'results',
    invoker: fakeReaders(parts, keys), discover: async () => ({ source: 'listing', blocks: [block], skipped: [] }),
    ...(options.compressParts !== undefined ? { compressParts: options.compressParts } : {}),
    ...(options.memory ? { parts } : {}),
  }
  const found: string[][] = []
  await executeBatch(parseBatchRequest({ tenant: 't', traceIds: [ID], requestId: 'r' }), deps, async (r) => void found.push(spanNames(r.trace)))
  return { keys, found, resultStore }
}

describe('executeBatch parts', () => {
  it('asks readers for gzip parts by default and plain ones with compressParts: false', async () => {
    const packed = await run({})
    expect(packed.keys).toEqual(['results/t/r/run-1/parts/00000.ndjson.gz'])
    expect([...(await packed.resultStore.get(packed.keys[0]!)).subarray(0, 2)]).toEqual([0x1f, 0x8b])
    const plain = await run({ compressParts: false })
    expect(plain.keys).toEqual(['results/t/r/run-1/parts/00000.ndjson'])
    expect(Buffer.from(await plain.resultStore.get(plain.keys[0]!)).toString('utf8').startsWith('{"traceId"')).toBe(true)
    expect(packed.found).toEqual([['span-1']])
    expect(plain.found).toEqual([['span-1']])
  })

  it('takes parts handed over in memory from the same exchange its readers use, storing nothing', async () => {
    const { found, resultStore } = await run({ memory: true })
    expect(found).toEqual([['span-1']])
    expect(resultStore.keys()).toEqual([])
  })

  it('memoryParts: a part exists once finished, is dropped once read, and an aborted one never appears', async () => {
    const parts = memoryParts()
    const trace = fakeTrace(ID, [{ id: 1, start: 1 }])
    const kept = parts.open('kept')
    await kept.write({ traceId: ID, contributors: 1, exceeded: false, trace, finalized: finalizeStage(trace, 1) })
    await expect(drain(parts.read('kept'))).rejects.toThrow(MissingPartError)
    await kept.finish()
    expect((await drain(parts.read('kept'))).map((l) => l.finalized())).toEqual([trace])
    await expect(drain(parts.read('kept'))).rejects.toThrow(MissingPartError)
    const dropped = parts.open('dropped')
    await dropped.abort(new Error('boom'))
    await expect(drain(parts.read('dropped'))).rejects.toThrow(MissingPartError)
  })
})

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}
