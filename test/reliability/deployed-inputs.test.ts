import fc from 'fast-check'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { startFaultyProxy, type FaultyProxy } from '../adapters/faulty-proxy.js'
import { apiEvent } from '../handlers/support/api-event.js'
import { captureStdout, lambdaContext, startHandlerEnvironment, type HandlerEnvironment } from '../handlers/support/handler-env.js'
import { sqsRecord } from '../handlers/support/sqs-record.js'
import { writeSmallTenant } from '../support/small-tenant.js'
import { badBatchRequests, CaseTally, type BadRequest } from './support/bad-requests.js'
import { badCompareTasks } from './support/bad-compare.js'
import { badReaderJobs } from './support/bad-jobs.js'
import { expectRefusal } from './support/refusal.js'
import { SEED, report } from './support/seed.js'

/**
 * Issue 11, bad input at the deployed entry points: the API Gateway, SQS, Step Functions and reader
 * handlers, run for real against fauxqs with every S3 request passing a recording proxy. Each malformed
 * input is refused naming its field (a 4xx, a rejected message, a typed error a state machine does not
 * retry) and no S3 request is made for it.
 */

const setting = { tenant: 'demo', ids: [] as string[], maxIds: 20, maxBodyBytes: 16_384 }
let work: string
let env: HandlerEnvironment
let s3: FaultyProxy
let handlers: {
  api: typeof import('../../functions/handlers/api.js').handler
  sqs: typeof import('../../functions/handlers/sqs.js').handler
  sfn: typeof import('../../functions/handlers/stepfunctions.js').handler
  reader: typeof import('../../functions/handlers/reader.js').handler
  compare: typeof import('../../functions/handlers/compare.js').handler
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tempo-batch-deployed-inputs-'))
  setting.ids = (await writeSmallTenant(new FsStore(join(work, 'tempo')), 'demo', 111)).traceIds
  env = await startHandlerEnvironment({ MAX_IDS: String(setting.maxIds), MAX_REQUEST_BYTES: String(setting.maxBodyBytes), POWERTOOLS_LOG_LEVEL: 'WARN' }, { tempoRoot: join(work, 'tempo') })
  // Every S3 call of the handlers (and of the reader they invoke) passes this proxy, which records it.
  s3 = await startFaultyProxy(env.fauxqs.endpoint)
  process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint
  vi.resetModules()
  handlers = {
    api: (await import('../../functions/handlers/api.js')).handler,
    sqs: (await import('../../functions/handlers/sqs.js')).handler,
    sfn: (await import('../../functions/handlers/stepfunctions.js')).handler,
    reader: (await import('../../functions/handlers/reader.js')).handler,
    compare: (await import('../../functions/handlers/compare.js')).handler,
  }
})
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_S3
  await s3?.stop()
  await env?.stop()
  await rm(work, { recursive: true, force: true })
})

/** The request as JSON text when it is JSON (SQS and Step Functions carry nothing else). */
function jsonOf(bad: BadRequest): { text: string; value: unknown } | undefined {
  if (bad.body === undefined || bad.contentType !== 'application/json' || bad.headerTenant !== undefined || bad.statuses.includes(413)) return undefined
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bad.body)
    return { text, value: JSON.parse(text) }
  } catch {
    return undefined
  }
}

// Inputs may nest thousands deep: JSON.stringify of them would overflow the test's own stack.
function preview(value: unknown): string {
  try {
    return JSON.stringify(value).slice(0, 200)
  } catch {
    return '(too deeply nested to print)'
  }
}

function expectInvalidRequestError(error: unknown, fields: string[]): void {
  const e = error as { name?: unknown; field?: unknown; message?: unknown }
  expect(String(e.message), String(e.message)).toMatch(/^invalid request: /)
  expect(String(e.name)).toMatch(/Error$/)
  expect(typeof e.field).toBe('string')
  expect(fields.some((f) => (e.field as string).startsWith(f)), `${String(e.field)} not one of ${fields.join(', ')}`).toBe(true)
}

/** A malformed input for a handler that throws on bad input, and the fields its refusal may name. */
interface ThrowingCase {
  breaker: string
  event: unknown
  fields: string[]
}

/** Property: `handler` throws an `InvalidRequestError` naming the field for every case, and no S3 request is made. */
async function expectRefusedWithoutS3(entry: string, cases: fc.Arbitrary<ThrowingCase>, numRuns: number, handler: (event: unknown) => Promise<unknown>): Promise<void> {
  const tally = new CaseTally()
  const seen = s3.seen.length
  await fc.assert(
    fc.asyncProperty(cases, async (c) => {
      tally.add(c.breaker)
      const error = await captureStdout(() => handler(c.event)).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error, preview(c.event)).toBeDefined()
      expectInvalidRequestError(error, c.fields)
    }),
    { seed: SEED, numRuns },
  )
  report(entry, tally)
  expect(s3.seen.length - seen).toBe(0)
}

describe('deployed entry points: malformed input (property tests, fixed seed)', () => {
  it('API Gateway: 2,000 malformed requests, each a 4xx naming its field, no S3 request', async () => {
    const tally = new CaseTally()
    const seen = s3.seen.length
    await fc.assert(
      fc.asyncProperty(badBatchRequests(setting), async (bad) => {
        tally.add(bad.breaker)
        const headers: Record<string, string> = {}
        if (bad.contentType !== undefined) headers['content-type'] = bad.contentType
        if (bad.headerTenant !== undefined) headers['x-scope-orgid'] = bad.headerTenant
        const event = apiEvent(null, { headers })
        if (bad.body !== undefined) Object.assign(event, { body: Buffer.from(bad.body).toString('base64'), isBase64Encoded: true })
        const { result } = await captureStdout(() => handlers.api(event, lambdaContext('api')))
        expectRefusal({ status: result.statusCode, text: result.body }, bad)
      }),
      { seed: SEED, numRuns: 2_000 },
    )
    report('API Gateway handler', tally)
    expect(s3.seen.length - seen).toBe(0)
  })

  it('SQS: 1,000 malformed messages, each refused naming its field without any S3 request; the handler never throws', async () => {
    const tally = new CaseTally()
    const seen = s3.seen.length
    await fc.assert(
      fc.asyncProperty(badBatchRequests(setting).filter((bad) => bad.body !== undefined && !bad.statuses.includes(413) && !bad.statuses.includes(415) && bad.headerTenant === undefined), async (bad) => {
        tally.add(bad.breaker)
        // SQS bodies are text: bytes that are not UTF-8 arrive as replacement characters.
        const record = sqsRecord(`bad-${tally.total}`, Buffer.from(bad.body!).toString('utf8'))
        const { result, lines } = await captureStdout(() => handlers.sqs({ Records: [record] }, lambdaContext('sqs')))
        expect(Array.isArray(result.batchItemFailures)).toBe(true)
        const refusal = lines.find((line) => typeof line.error === 'string' && line.error.startsWith('invalid request: '))
        expect(refusal, preview(lines)).toBeDefined()
        const error = refusal!.error as string
        // Bytes that were not UTF-8 arrive replaced, so such a body may be refused for another of its fields.
        const named = bad.fields.some((f) => error.startsWith(`invalid request: ${f}`)) || bad.breaker === 'body'
        expect(named, `${error} names none of ${bad.fields.join(', ')}`).toBe(true)
      }),
      { seed: SEED, numRuns: 1_000 },
    )
    report('SQS handler', tally)
    expect(s3.seen.length - seen).toBe(0)
  })

  it('Step Functions: 1,000 malformed inputs (requests and Map chunks), each an InvalidRequestError naming its field', async () => {
    const input = fc.oneof(
      badBatchRequests(setting).map((bad) => ({ bad, json: jsonOf(bad) })).filter((c) => c.json !== undefined).map((c) => ({ breaker: c.bad.breaker, event: c.json!.value, fields: c.bad.fields })),
      badBatchRequests(setting)
        .map((bad) => ({ bad, json: jsonOf(bad) }))
        .filter((c) => c.json !== undefined && typeof c.json.value === 'object' && c.json.value !== null && !Array.isArray(c.json.value) && Array.isArray((c.json.value as { traceIds?: unknown }).traceIds))
        .map((c) => {
          const { traceIds, ...rest } = c.json!.value as Record<string, unknown>
          return { breaker: `chunk ${c.bad.breaker}`, event: { BatchInput: { requestId: 'exec-1', ...rest }, Items: traceIds }, fields: [...c.bad.fields, ...c.bad.fields.map((f) => `BatchInput.${f}`), 'traces', 'Items'] }
        }),
    )
    await expectRefusedWithoutS3('Step Functions handler', input, 1_000, (event) => handlers.sfn(event, lambdaContext('sfn')))
  })

  it('compare step: 500 malformed inputs (other tenants\' result keys included), each an InvalidRequestError naming its field', async () => {
    await expectRefusedWithoutS3('compare step handler', badCompareTasks('demo', 'results'), 500, (event) => handlers.compare(event, lambdaContext('compare')))
  })

  it('reader: 1,000 malformed jobs (bad shapes, other tenants\' keys), each refused before any S3 request', async () => {
    const jobs = badReaderJobs('demo', 'results').map((c) => ({ breaker: c.breaker, event: c.job, fields: c.fields }))
    await expectRefusedWithoutS3('reader handler', jobs, 1_000, (event) => handlers.reader(event as never, lambdaContext('reader')))
  })
})
