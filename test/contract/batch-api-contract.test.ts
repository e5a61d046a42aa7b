import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { InProcessInvoker } from '../../functions/core/batch/in-process-invoker.js'
import type { ResultLine } from '../../functions/core/contract/types.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { startServer, type RunningServer } from '../../functions/server/server.js'
import { apiEvent } from '../handlers/support/api-event.js'
import { captureStdout, lambdaContext, startHandlerEnvironment, type HandlerEnvironment } from '../handlers/support/handler-env.js'
import { writeSmallTenant } from '../support/small-tenant.js'

/**
 * Issue 14, defect 7: the local server and the deployed API answered `POST /v1/batch` differently (shape,
 * inline rule, 400 vs 413, a body tenant silently overriding X-Scope-OrgID). Both now follow one contract
 * (`core/contract/batch-api`); this table runs against both and expects the same status, field and shape.
 */

interface Exchange {
  body?: string | Uint8Array
  headers?: Record<string, string>
}
interface Answer {
  status: number
  json: Record<string, unknown>
  headers: Record<string, string>
}
type EntryPoint = (exchange: Exchange) => Promise<Answer>

const LIMITS = { maxIds: 5, maxBodyBytes: 2_000, inlineResultMaxBytes: 1_000 }
const JSON_TYPE = { 'content-type': 'application/json' }

let work: string
let ids: string[] = []
let server: RunningServer
let env: HandlerEnvironment
let apiHandler: typeof import('../../functions/handlers/api.js').handler

const local: EntryPoint = async ({ body, headers }) => {
  const response = await fetch(`${server.url}/v1/batch`, { method: 'POST', ...(body !== undefined ? { body } : {}), headers: headers ?? {} })
  return { status: response.status, json: (await response.json()) as Record<string, unknown>, headers: Object.fromEntries(response.headers) }
}

const deployed: EntryPoint = async ({ body, headers }) => {
  const binary = body instanceof Uint8Array
  const text = body === undefined ? null : binary ? Buffer.from(body).toString('utf8') : body
  const event = apiEvent(text, { headers: headers ?? {} })
  if (binary) Object.assign(event, { body: Buffer.from(body).toString('base64'), isBase64Encoded: true })
  const { result } = await captureStdout(() => apiHandler(event, lambdaContext('api')))
  return { status: result.statusCode, json: JSON.parse(result.body) as Record<string, unknown>, headers: (result.headers ?? {}) as Record<string, string> }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tempo-batch-contract-'))
  const tempoRoot = join(work, 'tempo')
  ids = (await writeSmallTenant(new FsStore(tempoRoot), 'demo', 61)).traceIds
  const tempoStore = new FsStore(tempoRoot)
  const resultStore = new FsStore(join(work, 'results'))
  const layout = new TempoLayout('')
  server = await startServer({
    port: 0,
    batch: { tempoStore, layout, resultStore, resultsPrefix: 'results', invoker: new InProcessInvoker({ tempoStore, layout, resultStore }), discovery: { source: 'listing' } },
    lookup: { tempoStore, layout },
    limits: LIMITS,
  })
  env = await startHandlerEnvironment(
    { MAX_IDS: String(LIMITS.maxIds), MAX_REQUEST_BYTES: String(LIMITS.maxBodyBytes), INLINE_RESULT_MAX_BYTES: String(LIMITS.inlineResultMaxBytes) },
    { tempoRoot },
  )
  vi.resetModules()
  apiHandler = (await import('../../functions/handlers/api.js')).handler
})
afterAll(async () => {
  await server?.close()
  await env?.stop()
  await rm(work, { recursive: true, force: true })
})

const json = (value: unknown): Exchange => ({ body: JSON.stringify(value), headers: JSON_TYPE })
const absent = ['ffffffffffffffff0000000000000001', 'ffffffffffffffff0000000000000002']

/** Refusals: the same status and field from both entry points. */
const refusals: [string, () => Exchange, number, string][] = [
  ['no body', () => ({ headers: JSON_TYPE }), 400, 'body'],
  ['malformed JSON', () => ({ body: '{"tenant":', headers: JSON_TYPE }), 400, 'body'],
  ['a JSON array', () => ({ body: '[]', headers: JSON_TYPE }), 400, 'body'],
  ['invalid UTF-8', () => ({ body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: JSON_TYPE }), 400, 'body'],
  ['no tenant anywhere', () => json({ traceIds: absent }), 400, 'tenant'],
  ['a tenant Tempo refuses', () => json({ tenant: 'a:b', traceIds: absent }), 400, 'tenant'],
  ['traceIds not an array', () => json({ tenant: 'demo', traceIds: 'abc' }), 400, 'traceIds'],
  ['a non-hex ID', () => json({ tenant: 'demo', traceIds: ['xyz'] }), 400, 'traceIds[0]'],
  ['an unknown field', () => json({ tenant: 'demo', traceIds: absent, strat: 1 }), 400, 'strat'],
  ['a prototype key', () => ({ body: `{"tenant":"demo","traceIds":["1"],"__proto__":{"tenant":"x"}}`, headers: JSON_TYPE }), 400, '__proto__'],
  ['a reversed window', () => json({ tenant: 'demo', traceIds: absent, start: 20, end: 10 }), 400, 'start'],
  ['more distinct IDs than the limit', () => json({ tenant: 'demo', traceIds: ['1', '2', '3', '4', '5', '6'] }), 413, 'traceIds'],
  ['a body over the limit', () => json({ tenant: 'demo', traceIds: Array.from({ length: 80 }, () => 'a'.repeat(32)) }), 413, 'body'],
  ['a body that is not JSON by its type', () => ({ body: 'tenant=demo&traceIds=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'content-type'],
  ['a body tenant that disagrees with X-Scope-OrgID', () => ({ body: JSON.stringify({ tenant: 'demo', traceIds: absent }), headers: { ...JSON_TYPE, 'x-scope-orgid': 'other' } }), 400, 'tenant'],
]

describe.each([
  ['local server', () => local],
  ['deployed API handler', () => deployed],
])('POST /v1/batch contract: %s', (_name, entry) => {
  it.each(refusals)('%s: the same status and field, one line, no stack', async (_case, exchange, status, field) => {
    const answer = await entry()(exchange())
    expect({ status: answer.status, field: answer.json.field }).toEqual({ status, field })
    expect(answer.json.error).toMatch(/^invalid request: /)
    expect(String(answer.json.error)).not.toMatch(/\n|\.ts:\d+/)
  })

  it('answers { manifest, manifestKey, reused, result } with small results inline, tenant from X-Scope-OrgID', async () => {
    const answer = await entry()({ body: JSON.stringify({ traceIds: absent, requestId: `inline-${_name.length}` }), headers: { ...JSON_TYPE, 'x-scope-orgid': 'demo' } })
    expect(answer.status).toBe(200)
    expect(Object.keys(answer.json).sort()).toEqual(['manifest', 'manifestKey', 'result', 'reused'])
    expect(answer.json.manifestKey).toBe(`results/demo/inline-${_name.length}/manifest.json`)
    const result = answer.json.result as { inline: boolean; lines: ResultLine[] }
    expect(result).toEqual({ inline: true, lines: absent.map((traceId) => ({ traceId, status: 'not_found' })) })
    // The same body tenant as the header is fine; a missing content type is read as JSON.
    const same = await entry()({ body: new TextEncoder().encode(JSON.stringify({ tenant: 'demo', traceIds: absent })), headers: { 'x-scope-orgid': 'demo' } })
    expect(same.status).toBe(200)
  })

  it('answers a result over the inline budget with its location (and a URL where one can be presigned)', async () => {
    const answer = await entry()(json({ tenant: 'demo', traceIds: ids.slice(0, 3), requestId: `large-${_name.length}` }))
    expect(answer.status).toBe(200)
    const manifest = answer.json.manifest as { location: string; counts: { found: number } }
    expect(manifest.counts.found).toBe(3)
    const result = answer.json.result as { inline: boolean; location: string; url?: string; contentEncoding: string; reason: string }
    expect(result).toMatchObject({ inline: false, location: manifest.location, contentEncoding: 'gzip', reason: 'result is larger than 1000 bytes' })
    if (manifest.location.startsWith('s3://')) expect(result.url).toMatch(/^http.*X-Amz-Expires=/)
  })

  it('answers a different request under a used request ID with 409 naming requestId', async () => {
    const requestId = `conflict-${_name.length}`
    expect((await entry()(json({ tenant: 'demo', traceIds: [absent[0]], requestId }))).status).toBe(200)
    const again = await entry()(json({ tenant: 'demo', traceIds: [absent[1]], requestId }))
    expect({ status: again.status, field: again.json.field }).toEqual({ status: 409, field: 'requestId' })
  })
})
