import { beforeAll, describe, expect, it } from 'vitest'
import { runBatch } from '../../functions/core/batch/coordinator.js'
import { parseBatchRequest } from '../../functions/core/contract/request.js'
import type { Invoker } from '../../functions/core/contract/types.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { memoryBatchDeps, resultLines } from '../support/memory-batch.js'
import { writeSmallTenant } from '../support/small-tenant.js'

/**
 * Untested before (issue 14): when one ID is both over `maxBytesPerTrace` and open because a shard that
 * may hold more of it failed, `partial` wins (the trace may be missing spans, so "too large" is not the
 * final word), and the message keeps both reasons.
 */

const store = new MemoryStore()
let ids: string[] = []

beforeAll(async () => {
  ids = (await writeSmallTenant(store, 'demo', 81)).traceIds
})

describe('partial and too_large for one ID', () => {
  it('partial wins and the message names both', async () => {
    const deps = memoryBatchDeps(store)
    const inner = deps.invoker
    const invoker: Invoker = { invoke: (job, options) => (job.shard === 1 ? Promise.reject(new Error('reader crashed')) : inner.invoke(job, options)) }
    const request = parseBatchRequest({ tenant: 'demo', traceIds: ids, maxBytesPerTrace: 10 })
    const { manifest } = await runBatch(request, { ...deps, invoker })
    expect(manifest.shards.map((s) => s.status)).toEqual(['ok', 'failed'])
    const lines = await resultLines(deps.resultStore, manifest)
    expect(lines.every((l) => l.status === 'partial')).toBe(true)
    const both = lines.filter((l) => l.trace !== undefined)
    expect(both.length).toBeGreaterThan(0)
    for (const line of both) {
      expect(line.message).toContain('maximum size of 10 bytes')
      expect(line.message).toContain('shard 1 (blocks')
    }
    expect(manifest.counts).toMatchObject({ partial: ids.length, too_large: 0 })
  })

  it('without the failure the same IDs are too_large', async () => {
    const deps = memoryBatchDeps(store)
    const { manifest } = await runBatch(parseBatchRequest({ tenant: 'demo', traceIds: ids.slice(0, 5), maxBytesPerTrace: 10 }), deps)
    expect(manifest.counts).toMatchObject({ too_large: 5, partial: 0 })
  })
})
