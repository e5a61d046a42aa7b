import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InProcessInvoker } from '../../functions/core/batch/in-process-invoker.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { startServer, type RunningServer } from '../../functions/server/server.js'
import { writeSmallTenant } from '../support/small-tenant.js'
import { badBatchRequests, CaseTally } from './support/bad-requests.js'
import { badCompareRequests } from './support/bad-compare.js'
import { badLookups } from './support/bad-lookups.js'
import { expectRefusal } from './support/refusal.js'
import { RecordingStore } from './support/recording-store.js'
import { SEED, report } from './support/seed.js'

/**
 * Issue 11, bad input at the local server: thousands of generated malformed `POST /v1/batch` bodies and
 * Tempo GETs, each broken in one known way. Every one gets a 4xx naming the field, one line, never a 5xx
 * or a stack trace, and touches no storage at all (the recording stores stay empty).
 */

const setting = { tenant: 'demo', ids: [] as string[], maxIds: 20, maxBodyBytes: 16_384 }
const tempo = new RecordingStore(new MemoryStore())
const results = new RecordingStore(new MemoryStore())
let server: RunningServer

beforeAll(async () => {
  setting.ids = (await writeSmallTenant(tempo.inner, 'demo', 101)).traceIds
  const layout = new TempoLayout('')
  server = await startServer({
    port: 0,
    batch: { tempoStore: tempo, layout, resultStore: results, resultsPrefix: 'results', invoker: new InProcessInvoker({ tempoStore: tempo, layout, resultStore: results }) },
    lookup: { tempoStore: tempo, layout },
    limits: { maxIds: setting.maxIds, maxBodyBytes: setting.maxBodyBytes },
  })
})
afterAll(async () => {
  await server?.close()
})

describe('local server: malformed input (property tests, fixed seed)', () => {
  it('POST /v1/batch: 3,000 malformed requests, each a 4xx naming its field, no storage touched', async () => {
    const tally = new CaseTally()
    await fc.assert(
      fc.asyncProperty(badBatchRequests(setting), async (bad) => {
        tally.add(bad.breaker)
        tempo.reset()
        results.reset()
        const headers: Record<string, string> = {}
        if (bad.contentType !== undefined) headers['content-type'] = bad.contentType
        if (bad.headerTenant !== undefined) headers['x-scope-orgid'] = bad.headerTenant
        const response = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers, ...(bad.body !== undefined ? { body: bad.body } : {}) })
        expectRefusal({ status: response.status, text: await response.text() }, bad)
        expect([...tempo.calls, ...results.calls]).toEqual([])
      }),
      { seed: SEED, numRuns: 3_000 },
    )
    report('server POST /v1/batch', tally)
    expect(tally.total).toBe(3_000)
  })

  it('POST /v1/compare: 1,000 malformed comparisons, each a 4xx naming its field, no storage touched', async () => {
    const tally = new CaseTally()
    await fc.assert(
      fc.asyncProperty(badCompareRequests('demo', setting.maxBodyBytes), async (bad) => {
        tally.add(bad.breaker)
        tempo.reset()
        results.reset()
        const headers: Record<string, string> = { 'content-type': bad.contentType ?? 'application/json' }
        if (bad.headerTenant !== undefined) headers['x-scope-orgid'] = bad.headerTenant
        const response = await fetch(`${server.url}/v1/compare`, { method: 'POST', headers, body: bad.body })
        expectRefusal({ status: response.status, text: await response.text() }, bad)
        expect([...tempo.calls, ...results.calls]).toEqual([])
      }),
      { seed: SEED, numRuns: 1_000 },
    )
    report('server POST /v1/compare', tally)
  })

  it('GET /api/traces/{id} and /api/v2/traces/{id}: 2,000 malformed lookups, each a 400 naming its field', async () => {
    const tally = new CaseTally()
    await fc.assert(
      fc.asyncProperty(badLookups('demo'), async (bad) => {
        tally.add(bad.breaker)
        tempo.reset()
        const response = await fetch(server.url + bad.path, { headers: bad.headers })
        expectRefusal({ status: response.status, text: await response.text() }, { statuses: [400], fields: bad.fields })
        expect(tempo.calls).toEqual([])
      }),
      { seed: SEED, numRuns: 2_000 },
    )
    report('server GET trace by ID', tally)
    // No prototype was changed by any body along the way.
    expect(({} as Record<string, unknown>).tenant).toBeUndefined()
    expect(Object.getPrototypeOf({})).toBe(Object.prototype)
  })
})
