import fc from 'fast-check'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { cachedDiscovery } from '../../functions/core/batch/cached-discovery.js'
import { InProcessInvoker } from '../../functions/core/batch/in-process-invoker.js'
import type { ResultLine } from '../../functions/core/contract/types.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { startServer, type RunningServer } from '../../functions/server/server.js'
import { startFaultyProxy, type FaultyProxy } from '../adapters/faulty-proxy.js'
import { apiEvent } from '../handlers/support/api-event.js'
import { captureStdout, lambdaContext, startHandlerEnvironment, type HandlerEnvironment } from '../handlers/support/handler-env.js'
import { writeSmallTenant } from '../support/small-tenant.js'
import { CaseTally } from './support/bad-requests.js'
import { RecordingStore } from './support/recording-store.js'
import { SEED, report } from './support/seed.js'

/**
 * Issue 11, tenant isolation: valid requests of several tenants (names that share prefixes included), with
 * IDs of their own, of other tenants and of nobody, reusing request IDs across tenants. Stores that record
 * every key prove that no request touches another tenant's prefix, or anything outside the Tempo prefix
 * and the results prefix; and no answer ever holds another tenant's trace.
 */

const TENANTS = ['demo', 'demo.b', "o'k(1)", 'x']
const owner = new Map<string, string>()
let work: string

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tempo-batch-isolation-'))
  for (const [i, tenant] of TENANTS.entries()) {
    const summary = await writeSmallTenant(new FsStore(join(work, 'tempo', 'tempo')), tenant, 131 + i, { blocks: 1 })
    for (const id of summary.traceIds) owner.set(id, tenant)
  }
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

/** A valid request: a tenant (one with blocks, or an empty one), IDs from everywhere, a request ID from a small pool. */
function validRequests() {
  const ids = [...owner.keys()]
  return fc.record({
    tenant: fc.oneof(fc.constantFrom(...TENANTS), fc.constantFrom('demo.c', 'dem', 'nobody', '__proto__', 'constructor')),
    traceIds: fc.uniqueArray(fc.oneof(fc.constantFrom(...ids), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 })), { minLength: 1, maxLength: 6 }),
    requestId: fc.constantFrom('shared-1', 'shared-2', 'shared-3', 'shared-4'),
  })
}

/** Every key a request may touch: its tenant's folder under the Tempo prefix, and its results. */
function expectOwnKeys(keys: readonly string[], tenant: string, tempoPrefix: string, resultsPrefix: string): void {
  for (const key of keys) {
    const own = key.startsWith(`${tempoPrefix}${tenant}/`) || key.startsWith(`${resultsPrefix}${tenant}/`)
    expect(own, `${tenant} touched ${key}`).toBe(true)
  }
}

/** No answer holds a trace of another tenant; answered IDs of other tenants are `not_found`. */
function expectOwnTraces(lines: ResultLine[], tenant: string): void {
  for (const line of lines) {
    if (line.status === 'found' || line.trace !== undefined) expect(owner.get(line.traceId), `${tenant} got ${line.traceId}`).toBe(tenant)
    if (owner.has(line.traceId) && owner.get(line.traceId) !== tenant) expect(line.status).toBe('not_found')
  }
}

describe('tenant isolation (property tests, fixed seed)', () => {
  it('local server: 1,000 batches and lookups touch only their tenant\'s keys and return only its traces', async () => {
    const tempo = new RecordingStore(new FsStore(join(work, 'tempo')))
    const results = new RecordingStore(new MemoryStore())
    const layout = new TempoLayout('tempo')
    const server: RunningServer = await startServer({
      port: 0,
      batch: { tempoStore: tempo, layout, resultStore: results, resultsPrefix: 'results', invoker: new InProcessInvoker({ tempoStore: tempo, layout, resultStore: results }), discovery: { source: 'listing' } },
      lookup: { tempoStore: tempo, layout, discover: cachedDiscovery(tempo, layout, { source: 'listing' }) },
    })
    const tally = new CaseTally()
    try {
      await fc.assert(
        fc.asyncProperty(validRequests(), fc.boolean(), async (request, lookup) => {
          tempo.reset()
          results.reset()
          if (lookup) {
            tally.add('lookup')
            const id = request.traceIds[0]!
            const response = await fetch(`${server.url}/api/v2/traces/${id}`, { headers: { 'x-scope-orgid': request.tenant } })
            expect(response.status).toBe(200)
            const answer = (await response.json()) as { trace?: { resourceSpans?: unknown[] } }
            if (owner.get(id) !== request.tenant) expect(answer.trace?.resourceSpans ?? []).toEqual([])
          } else {
            tally.add('batch')
            const response = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) })
            // A request ID reused for a different request of the same tenant is a conflict, never another's answer.
            expect([200, 409]).toContain(response.status)
            const answer = (await response.json()) as { manifest?: { tenant: string }; result?: { lines: ResultLine[] } }
            if (response.status === 200) {
              expect(answer.manifest!.tenant).toBe(request.tenant)
              expectOwnTraces(answer.result!.lines, request.tenant)
            }
          }
          expectOwnKeys(tempo.calls.map((c) => c.key), request.tenant, 'tempo/', '')
          expectOwnKeys(results.calls.map((c) => c.key), request.tenant, '', 'results/')
        }),
        { seed: SEED, numRuns: 1_000 },
      )
    } finally {
      await server.close()
    }
    report('tenant isolation, local server', tally)
  })

  describe('deployed API (S3 through a recording proxy)', () => {
    let env: HandlerEnvironment
    let s3: FaultyProxy
    let api: typeof import('../../functions/handlers/api.js').handler
    beforeAll(async () => {
      env = await startHandlerEnvironment({}, { tempoRoot: join(work, 'tempo', 'tempo') })
      s3 = await startFaultyProxy(env.fauxqs.endpoint)
      process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint
      vi.resetModules()
      api = (await import('../../functions/handlers/api.js')).handler
    })
    afterAll(async () => {
      delete process.env.AWS_ENDPOINT_URL_S3
      await s3?.stop()
      await env?.stop()
    })

    /** The bucket-relative key (or listing prefix) of one recorded S3 request. */
    function s3Key(url: string): { bucket: string; key: string } {
      const parsed = new URL(url, 'http://s3')
      const [, bucket = '', ...rest] = parsed.pathname.split('/')
      const objectKey = decodeURIComponent(rest.join('/'))
      const key = objectKey !== '' ? objectKey : (parsed.searchParams.get('prefix') ?? '')
      return { bucket, key }
    }

    it('API Gateway: 200 batches touch only their tenant\'s keys in both buckets and return only its traces', async () => {
      const tally = new CaseTally()
      await fc.assert(
        fc.asyncProperty(validRequests(), async (request) => {
          tally.add('batch')
          const seen = s3.seen.length
          const { result } = await captureStdout(() => api(apiEvent(JSON.stringify(request)), lambdaContext('api')))
          expect([200, 409]).toContain(result.statusCode)
          if (result.statusCode === 200) expectOwnTraces((JSON.parse(result.body) as { result: { lines: ResultLine[] } }).result.lines, request.tenant)
          for (const { url } of s3.seen.slice(seen)) {
            const { bucket, key } = s3Key(url)
            const prefix = bucket === env.tempoBucket ? 'tempo/' : 'results/'
            expect([env.tempoBucket, env.resultBucket]).toContain(bucket)
            expect(key.startsWith(`${prefix}${request.tenant}/`), `${request.tenant} touched ${bucket}/${key} (${url})`).toBe(true)
          }
        }),
        { seed: SEED, numRuns: 200 },
      )
      report('tenant isolation, API Gateway', tally)
    })
  })
})
