import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InProcessInvoker } from '../../functions/core/batch/in-process-invoker.js'
import type { Invoker } from '../../functions/core/contract/types.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { startServer, type RunningServer } from '../../functions/server/server.js'
import { writeSmallTenant } from '../support/small-tenant.js'

/**
 * Issue 11, back-pressure: past `maxBatches` batches (or `maxIds` IDs) in flight the local server answers
 * 429 with Retry-After at once instead of queueing without bound; bad input is still a 400 first; once
 * the running batches finish, requests are served again. Driven by a gate, not by the clock.
 */

const store = new MemoryStore()
let ids: string[] = []
let server: RunningServer
let entered = 0
let onEnter: () => void = () => undefined
let release!: () => void
let gate = new Promise<void>((resolve) => (release = resolve))

beforeAll(async () => {
  ids = (await writeSmallTenant(store, 'demo', 151, { blocks: 1 })).traceIds
  const layout = new TempoLayout('')
  const resultStore = new MemoryStore()
  const inner = new InProcessInvoker({ tempoStore: store, layout, resultStore })
  // Every reader waits at the gate: the batches stay in flight until the test opens it.
  const gated: Invoker = {
    invoke: async (job, options) => {
      entered++
      onEnter()
      await gate
      return inner.invoke(job, options)
    },
  }
  server = await startServer({
    port: 0,
    batch: { tempoStore: store, layout, resultStore, resultsPrefix: 'results', invoker: gated },
    lookup: { tempoStore: store, layout },
    admission: { maxBatches: 2, maxIds: 15, retryAfterSeconds: 3 },
  })
})
afterAll(async () => {
  release()
  await server?.close()
})

const post = (body: unknown) => fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const until = (count: number) => new Promise<void>((resolve) => (entered >= count ? resolve() : (onEnter = () => entered >= count && resolve())))

describe('local server back-pressure', () => {
  it('answers 429 with Retry-After past the in-flight limits, 400 for bad input first, and serves again afterwards', async () => {
    const first = post({ tenant: 'demo', traceIds: ids.slice(0, 5) })
    const second = post({ tenant: 'demo', traceIds: ids.slice(5, 10) })
    await until(2)
    expect(server.admission).toMatchObject({ admitted: 2, peakBatches: 2, peakIds: 10 })

    const third = await post({ tenant: 'demo', traceIds: ids.slice(10, 11) })
    expect(third.status).toBe(429)
    expect(third.headers.get('retry-after')).toBe('3')
    expect(((await third.json()) as { error: string }).error).toMatch(/^busy: 2 batches with 10 trace IDs are running/)
    const lookup = await fetch(`${server.url}/api/v2/traces/${ids[11]}`, { headers: { 'x-scope-orgid': 'demo' } })
    expect(lookup.status).toBe(429)
    const bad = await post({ tenant: 'demo', traceIds: ['xyz'] })
    expect(bad.status).toBe(400)

    release()
    expect((await first).status).toBe(200)
    expect((await second).status).toBe(200)
    const again = await post({ tenant: 'demo', traceIds: ids.slice(10, 11) })
    expect(again.status).toBe(200)
    expect(server.admission.refused).toBe(2)
  })

  it('admits one batch larger than maxIds when nothing else runs (no valid request is refused for ever)', async () => {
    gate = Promise.resolve()
    const big = await post({ tenant: 'demo', traceIds: ids.slice(0, 20) })
    expect(big.status).toBe(200)
  })
})
