import { beforeAll, describe, expect, it } from 'vitest'
import { runBatch } from '../../functions/core/batch/coordinator.js'
import { parseBatchRequest } from '../../functions/core/contract/request.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { unixSeconds } from '../../functions/core/plan/window.js'
import type { GeneratedTenantSummary } from '../../functions/generator/generate-tenant.js'
import { memoryBatchDeps } from '../support/memory-batch.js'
import { writeSmallTenant } from '../support/small-tenant.js'

/**
 * Issue 14, defect 6: answers that are "0 found, complete" only because nothing was searched say so in
 * the manifest (`warnings`, with a code a program can check), and only then.
 */

const store = new MemoryStore()
let tenant: GeneratedTenantSummary
let span: { start: number; end: number }

beforeAll(async () => {
  tenant = await writeSmallTenant(store, 'demo', 41)
  const starts = tenant.metas.map((m) => unixSeconds(m.startTimeUnixNano))
  const ends = tenant.metas.map((m) => unixSeconds(m.endTimeUnixNano))
  span = { start: Math.min(...starts), end: Math.max(...ends) }
})

async function warnings(body: Record<string, unknown>): Promise<{ codes: string[]; messages: string[]; status: string }> {
  const { manifest } = await runBatch(parseBatchRequest(body), memoryBatchDeps(store))
  return { codes: (manifest.warnings ?? []).map((w) => w.code), messages: (manifest.warnings ?? []).map((w) => w.message), status: manifest.status }
}

describe('manifest warnings (issue 14, defect 6)', () => {
  it('a tenant without blocks (a misspelled tenant) is named', async () => {
    const answer = await warnings({ tenant: 'dmeo', traceIds: [tenant.traceIds[0]] })
    expect(answer.codes).toEqual(['no-blocks'])
    expect(answer.messages[0]).toBe('tenant "dmeo" has no blocks in memory:')
  })

  it('a window that prunes every block says so, with the blocks\' span', async () => {
    const answer = await warnings({ tenant: 'demo', traceIds: [tenant.traceIds[0]], start: span.end + 10, end: span.end + 20 })
    expect(answer.codes).toEqual(['window-excludes-all-blocks'])
    expect(answer.messages[0]).toContain(`blocks span unix seconds ${span.start}..${span.end}`)
    const perId = await warnings({ tenant: 'demo', traces: [{ id: tenant.traceIds[0], start: 1, end: 2 }] })
    expect(perId.codes).toEqual(['window-excludes-all-blocks'])
  })

  it('milliseconds given as start/end are named (and, being far in the future, prune every block)', async () => {
    const answer = await warnings({ tenant: 'demo', traceIds: [tenant.traceIds[0]], start: span.start * 1000, end: span.end * 1000 })
    expect(answer.codes).toEqual(['window-in-milliseconds', 'window-excludes-all-blocks'])
    expect(answer.messages[0]).toBe('start, end look like milliseconds; start and end are unix seconds')
  })

  it('an ordinary batch has no warnings', async () => {
    expect((await warnings({ tenant: 'demo', traceIds: tenant.traceIds.slice(0, 3) })).codes).toEqual([])
    expect((await warnings({ tenant: 'demo', traceIds: ['ffff'], start: span.start, end: span.end })).codes).toEqual([])
  })
})
