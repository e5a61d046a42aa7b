import { beforeAll, describe, expect, it } from 'vitest'
import { runBatch } from '../../functions/core/batch/coordinator.js'
import { parseBatchRequest } from '../../functions/core/contract/request.js'
import type { Invoker, ReaderJob } from '../../functions/core/contract/types.js'
import { unixSeconds } from '../../functions/core/plan/window.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import type { GeneratedTenantSummary } from '../../functions/generator/generate-tenant.js'
import { memoryBatchDeps, resultLines } from '../support/memory-batch.js'
import { writeSmallTenant } from '../support/small-tenant.js'

/**
 * Untested before (issue 14): a job over the payload limit has its ID lists offloaded to the result
 * store; the per-ID block restriction (`blocksByTraceId`, from per-ID windows) must travel with them, or
 * the reader searches blocks an ID's window excludes and reports traces Tempo would not.
 */

const store = new MemoryStore()
let tenant: GeneratedTenantSummary

beforeAll(async () => {
  tenant = await writeSmallTenant(store, 'demo', 71, { blocks: 3 })
})

describe('offloaded job ID lists', () => {
  it('keep per-ID windows: the same answer as jobs carrying their lists inline', async () => {
    // A window that covers some blocks but ends before the latest block starts.
    const latestStart = Math.max(...tenant.metas.map((m) => unixSeconds(m.startTimeUnixNano)))
    const earliestStart = Math.min(...tenant.metas.map((m) => unixSeconds(m.startTimeUnixNano)))
    // One ID without a window keeps the latest block in the shard, so the others need a per-ID restriction.
    const traces = [...tenant.traceIds.map((id) => ({ id, start: earliestStart, end: latestStart })), { id: 'ffffffff' }]
    const run = async (maxJobPayloadBytes: number | undefined, requestId: string) => {
      const jobs: ReaderJob[] = []
      const deps = memoryBatchDeps(store, { maxReaders: 1, minBlocksPerShard: 10, ...(maxJobPayloadBytes !== undefined ? { maxJobPayloadBytes } : {}) })
      const inner = deps.invoker
      const invoker: Invoker = { invoke: (job, options) => (jobs.push(job), inner.invoke(job, options)) }
      const { manifest } = await runBatch(parseBatchRequest({ tenant: 'demo', traces, requestId }), { ...deps, invoker })
      return { manifest, jobs, lines: await resultLines(deps.resultStore, manifest), resultStore: deps.resultStore }
    }
    const inline = await run(undefined, 'inline')
    const offloaded = await run(100, 'offloaded')
    expect(inline.jobs[0]!.idsKey).toBeUndefined()
    expect(inline.jobs[0]!.blocksByTraceId).toBeDefined()
    const job = offloaded.jobs[0]!
    expect(job.traceIds).toEqual([])
    expect(job.blocksByTraceId).toBeUndefined()
    const lists = JSON.parse(Buffer.from(await offloaded.resultStore.get(job.idsKey!)).toString('utf8')) as Pick<ReaderJob, 'traceIds' | 'blocksByTraceId'>
    expect(lists.blocksByTraceId).toEqual(inline.jobs[0]!.blocksByTraceId)
    // The window excludes the latest block, so its own traces are not found; the offloaded run must agree.
    expect(inline.manifest.counts.not_found).toBeGreaterThan(0)
    expect(inline.manifest.counts.found).toBeGreaterThan(0)
    expect(offloaded.lines).toEqual(inline.lines)
  })
})
