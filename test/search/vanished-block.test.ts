import { beforeAll, describe, expect, it } from 'vitest'
import { runBatch } from '../../functions/core/batch/coordinator.js'
import { InProcessInvoker } from '../../functions/core/batch/in-process-invoker.js'
import { BlockVanishedError } from '../../functions/core/contract/errors.js'
import { parseBatchRequest } from '../../functions/core/contract/request.js'
import { parseTraceId } from '../../functions/core/contract/trace-id.js'
import type { ResultLine } from '../../functions/core/contract/types.js'
import { readResultLines } from '../../functions/core/results/result-lines.js'
import { BlockSearch } from '../../functions/core/search/block-search.js'
import { BlockObjects, TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { generateTenant, type GeneratedTenantSummary } from '../../functions/generator/generate-tenant.js'

const layout = new TempoLayout()

/** A one-block tenant whose data.parquet compaction deleted after the block was listed. */
async function tenantWithVanishedData(): Promise<{ store: MemoryStore; tenant: GeneratedTenantSummary }> {
  const store = new MemoryStore()
  const tenant = await generateTenant(store, { tenant: 'gone', seed: 8, blocks: 1, tracesPerBlock: 12, rowGroupBytes: 1_000_000 })
  return { store, tenant }
}

describe('a block deleted (compacted away) between planning and reading', () => {
  let store: MemoryStore
  let tenant: GeneratedTenantSummary
  beforeAll(async () => {
    ;({ store, tenant } = await tenantWithVanishedData())
  })

  it('is reported as vanished, not as an unreadable block', async () => {
    const meta = tenant.metas[0]!
    const copy = new MemoryStore()
    for (const key of store.keys()) await copy.put(key, await store.get(key))
    copy.delete(layout.blockObject('gone', meta.blockId, BlockObjects.data))
    const search = await BlockSearch.open(copy, 'gone', meta, tenant.traceIds.slice(0, 2).map((id) => parseTraceId(id)))
    const result = await search.find(tenant.traceIds.slice(0, 2).map((id) => parseTraceId(id)))
    expect(result.error).toBeInstanceOf(BlockVanishedError)
    expect(result.error?.message).toBe(`block gone/${meta.blockId}: vanished after the batch was planned (compacted or deleted; re-run the request to read the block that replaced it): storage: object not found: gone/${meta.blockId}/data.parquet`)
  })

  it('leaves its IDs partial in the batch result, saying so', async () => {
    const meta = tenant.metas[0]!
    // Planning sees the block; by the time the reader opens it, compaction has deleted it.
    const discover = async () => ({ source: 'listing' as const, blocks: [meta], skipped: [] })
    store.delete(layout.blockObject('gone', meta.blockId, BlockObjects.data))
    const resultStore = new MemoryStore()
    const { manifest } = await runBatch(parseBatchRequest({ tenant: 'gone', traceIds: tenant.traceIds.slice(0, 2), requestId: 'vanished' }), {
      tempoStore: store, layout, resultStore, resultsPrefix: 'results', discover,
      invoker: new InProcessInvoker({ tempoStore: store, layout, resultStore }),
    })
    const lines: ResultLine[] = []
    for await (const line of readResultLines(resultStore, manifest.resultKey)) lines.push(line)
    expect(lines.map((l) => l.status)).toEqual(['partial', 'partial'])
    expect(lines[0]!.message).toMatch(/vanished after the batch was planned/)
  })
})
