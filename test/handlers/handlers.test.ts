import type { SQSEvent } from 'aws-lambda'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ResultLine } from '../../functions/core/contract/types.js'
import type { CompletionNotice, RejectionNotice } from '../../functions/handlers/sqs.js'
import type { TaskOutput } from '../../functions/handlers/stepfunctions.js'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'
import { captureStdout, lambdaContext, readGoldens, startHandlerEnvironment, type GoldenRecord, type HandlerEnvironment } from './support/handler-env.js'
import { apiEvent } from './support/api-event.js'
import { sqsRecord } from './support/sqs-record.js'

sharedFixturesSkipNote('handlers')

type Handlers = {
  api: typeof import('../../functions/handlers/api.js')
  sqs: typeof import('../../functions/handlers/sqs.js')
  sfn: typeof import('../../functions/handlers/stepfunctions.js')
}

async function importIsolatedReader(): Promise<typeof import('../../functions/handlers/reader.js')> {
  vi.resetModules()
  const reader = await import('../../functions/handlers/reader.js')
  vi.resetModules()
  return reader
}

describe.skipIf(!hasSharedFixtures)('Lambda handlers over fauxqs S3/SQS/SNS and the local Lambda Invoke API', () => {
  let env: HandlerEnvironment
  let handlers: Handlers
  let found: GoldenRecord[]
  let absent: GoldenRecord[]

  beforeAll(async () => {
    env = await startHandlerEnvironment({ MAX_IDS: '20', MAX_REQUEST_BYTES: '20000', ALLOWED_TENANTS: 'single-tenant,tenant-b', INLINE_RESULT_MAX_BYTES: '2000000' })
    handlers = {
      api: await import('../../functions/handlers/api.js'),
      sqs: await import('../../functions/handlers/sqs.js'),
      sfn: await import('../../functions/handlers/stepfunctions.js'),
    }
    const goldens = readGoldens('single-tenant').filter((g) => g.start === 0 && g.end === 0)
    const multiBlock = goldens.filter((g) => g.blocks.length >= 2 && g.v2.status === undefined).slice(0, 3)
    const singleBlock = goldens.filter((g) => g.blocks.length === 1 && g.v2.status === undefined).slice(0, 3)
    found = [...multiBlock, ...singleBlock]
    absent = goldens.filter((g) => g.category === 'absent').slice(0, 2)
    expect(found.length).toBe(6)
    expect(absent.length).toBe(2)
  })

  afterAll(async () => {
    await env?.stop()
  })

  function expectGoldenLines(lines: ResultLine[]): void {
    const byId = new Map(lines.map((line) => [line.traceId, line]))
    for (const golden of found) {
      const line = byId.get(golden.traceId)
      expect(line?.status, golden.traceId).toBe('found')
      expect(line?.trace, golden.traceId).toEqual(golden.v2.trace)
    }
    for (const golden of absent) {
      expect(byId.get(golden.traceId)).toEqual({ traceId: golden.traceId, status: 'not_found' })
    }
    expect(lines.map((l) => l.traceId)).toEqual([...found, ...absent].map((g) => g.traceId).sort())
  }

  it('API: POST /v1/batch returns the manifest and the Tempo-exact result inline, reading through the reader Lambda', async () => {
    const body = JSON.stringify({ tenant: 'single-tenant', traceIds: [...found, ...absent].map((g) => g.traceId.toUpperCase()), requestId: 'api-golden-1' })
    const readerCallsBefore = env.lambda.invocations.length
    const { result: response, lines: stdout } = await captureStdout(() => handlers.api.handler(apiEvent(body), lambdaContext('api')))
    expect(response.statusCode).toBe(200)
    expect(response.headers?.['content-type']).toBe('application/json')
    const payload = JSON.parse(response.body) as { manifest: { status: string; counts: Record<string, number>; requestId: string }; reused: boolean; result: { inline: boolean; lines: ResultLine[] } }
    expect(payload.manifest.requestId).toBe('api-golden-1')
    expect(payload.manifest.status).toBe('complete')
    expect(payload.manifest.counts).toMatchObject({ requested: 8, found: 6, not_found: 2, partial: 0 })
    expect(payload.reused).toBe(false)
    expect(payload.result.inline).toBe(true)
    expectGoldenLines(payload.result.lines)

    const readerCalls = env.lambda.invocations.slice(readerCallsBefore)
    expect(readerCalls.length).toBeGreaterThan(0)
    expect(readerCalls.every((call) => call.functionName === 'reader' && call.invocationType === 'RequestResponse' && call.outcome === 'ok')).toBe(true)

    const finished = stdout.find((line) => line.message === 'batch finished')
    expect(finished).toMatchObject({ level: 'INFO', requestId: 'api-golden-1', tenant: 'single-tenant', status: 'complete', function_name: 'api' })
    const emf = stdout.find((line) => line._aws !== undefined && 'TracesFound' in line)
    expect(emf).toMatchObject({ TracesFound: 6, TracesNotFound: 2, TraceIdsRequested: 8, requestId: 'api-golden-1', tenant: 'single-tenant' })
    expect(emf?.BlocksSearched).toEqual(expect.any(Number))
  })

  it('API: the same requestId again is answered from the manifest (reused) without invoking readers', async () => {
    const body = JSON.stringify({ tenant: 'single-tenant', traceIds: [...found, ...absent].map((g) => g.traceId), requestId: 'api-golden-1' })
    const before = env.lambda.invocations.length
    const { result: response } = await captureStdout(() => handlers.api.handler(apiEvent(body, { base64: true }), lambdaContext('api')))
    expect(response.statusCode).toBe(200)
    const payload = JSON.parse(response.body) as { reused: boolean; result: { lines: ResultLine[] } }
    expect(payload.reused).toBe(true)
    expectGoldenLines(payload.result.lines)
    expect(env.lambda.invocations.length).toBe(before)
  })

  it('API: maps bad input to 400/403/413 JSON naming the field, never a stack trace', async () => {
    const cases: { body: string | null; status: number; field: string }[] = [
      { body: '{not json', status: 400, field: 'body' },
      { body: null, status: 400, field: 'body' },
      { body: JSON.stringify({ traceIds: ['abc'] }), status: 400, field: 'tenant' },
      { body: JSON.stringify({ tenant: 'single-tenant', traceIds: ['xyz'] }), status: 400, field: 'traceIds[0]' },
      { body: JSON.stringify({ tenant: 'single-tenant', traceIds: ['1'], start: 20, end: 10 }), status: 400, field: 'start' },
      { body: JSON.stringify({ tenant: 'other-tenant', traceIds: ['1'] }), status: 403, field: 'tenant' },
      { body: JSON.stringify({ tenant: 'single-tenant', traceIds: Array.from({ length: 21 }, (_, i) => (i + 1).toString(16)) }), status: 413, field: 'traceIds' },
      { body: JSON.stringify({ tenant: 'single-tenant', traceIds: Array.from({ length: 2000 }, () => 'a'.repeat(32)) }), status: 413, field: 'body' },
    ]
    for (const c of cases) {
      const response = await captureStdout(() => handlers.api.handler(apiEvent(c.body), lambdaContext('api')))
      const { statusCode, body } = response.result
      expect({ statusCode, field: (JSON.parse(body) as { field?: string }).field }, c.body?.slice(0, 60) ?? 'null').toEqual({ statusCode: c.status, field: c.field })
      expect(body).not.toMatch(/\n\s+at |\.ts:\d+/)
      expect((JSON.parse(body) as { error: string }).error).toMatch(/^invalid request: /)
      expect(response.lines.find((line) => line._aws !== undefined)).toMatchObject({ RequestsRejected: 1 })
    }
  })

  it('API: a result over the inline budget becomes a presigned URL that serves the same gzip NDJSON', async () => {
    const { inlineOrLinkedResultJson } = await import('../../functions/core/results/result-body.js')
    const { presignGet } = await import('../../functions/handlers/shared/presign-get.js')
    const store = env.fauxqs.openStore(env.resultBucket)
    const key = 'results/single-tenant/api-golden-1/run-1/result.ndjson.gz'
    const link = async (k: string) => ({ location: k, url: await presignGet(store, k, 60), expiresInSeconds: 60 })
    const inline = JSON.parse(await inlineOrLinkedResultJson(store, key, { inlineResultMaxBytes: 5_000_000, link })) as { inline: boolean; lines: ResultLine[] }
    expect(inline.inline).toBe(true)
    const linked = JSON.parse(await inlineOrLinkedResultJson(store, key, { inlineResultMaxBytes: 100, link })) as { inline: boolean; url: string; expiresInSeconds: number }
    expect(linked).toMatchObject({ inline: false, expiresInSeconds: 60 })
    expect(linked.url).toMatch(/X-Amz-Expires=60/)
    const downloaded = await fetch(linked.url)
    expect(downloaded.status).toBe(200)
    const bytes = new Uint8Array(await downloaded.arrayBuffer())
    const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : Buffer.from(bytes)).toString('utf8')
    expect(text.trim().split('\n').map((line) => JSON.parse(line) as ResultLine)).toEqual(inline.lines)
  })

  it('API: a reader that keeps failing makes the batch partial (retried once), still a 200 with per-ID status', async () => {
    const failures: unknown[] = []
    env.lambda.register('reader', (event) => {
      failures.push(event)
      throw Object.assign(new Error('simulated reader crash'), { name: 'SimulatedCrashError' })
    })
    try {
      const body = JSON.stringify({ tenant: 'single-tenant', traceIds: [found[0]!.traceId], requestId: 'api-partial-1' })
      const { result: response } = await captureStdout(() => handlers.api.handler(apiEvent(body), lambdaContext('api')))
      expect(response.statusCode).toBe(200)
      const payload = JSON.parse(response.body) as { manifest: { status: string; shards: { status: string; attempts: number; error?: string }[] }; result: { lines: ResultLine[] } }
      expect(payload.manifest.status).toBe('partial')
      expect(payload.manifest.shards.every((shard) => shard.status === 'failed' && shard.attempts === 2)).toBe(true)
      expect(payload.manifest.shards[0]?.error).toMatch(/simulated reader crash/)
      expect(payload.result.lines).toEqual([expect.objectContaining({ traceId: found[0]!.traceId, status: 'partial' })])
      expect(failures.length).toBe(2 * payload.manifest.shards.length)
    } finally {
      const reader = await importIsolatedReader()
      env.lambda.register('reader', (event) => reader.handler(event as never, lambdaContext('reader')))
    }
  })

  it('API: a batch that cannot finish before the gateway limit is handed to the request queue and answered 202 with its manifest location', { timeout: 30_000 }, async () => {
    const jobs: { deadline?: number }[] = []
    // A reader that would take for ever: it ends only when its caller gives up on it.
    env.lambda.register('reader', (event, lambda) => new Promise((_, reject) => {
      jobs.push(event as { deadline?: number })
      lambda.signal.addEventListener('abort', () => reject(new Error('caller went away')))
    }))
    try {
      const ids = [found[0]!.traceId, found[1]!.traceId]
      const body = JSON.stringify({ tenant: 'single-tenant', traceIds: ids, requestId: 'api-slow-1' })
      // 5 s left in the function: the API must answer 3 s before its end, so after about two seconds.
      const started = Date.now()
      const { result: response } = await captureStdout(() => handlers.api.handler(apiEvent(body), lambdaContext('api', 5_000)))
      expect(response.statusCode).toBe(202)
      expect(JSON.parse(response.body)).toMatchObject({
        status: 'running', requestId: 'api-slow-1', tenant: 'single-tenant',
        manifestKey: 'results/single-tenant/api-slow-1/manifest.json',
        manifestLocation: `s3://${env.resultBucket}/results/single-tenant/api-slow-1/manifest.json`,
      })
      // Any reader it reached (a busy machine may not get that far) had a deadline within the API's time;
      // nothing was written for the request.
      for (const job of jobs) expect(job.deadline).toBeLessThanOrEqual(started + 5_000)
      await expect(env.fauxqs.openStore(env.resultBucket).get('results/single-tenant/api-slow-1/manifest.json')).rejects.toThrow(/not found/)
      // The SQS coordinator finishes it: the queue holds the same request, under the same request ID.
      const [message] = await env.receiveRequests()
      expect(message).toEqual({ tenant: 'single-tenant', traceIds: [...ids].sort(), requestId: 'api-slow-1', maxBytesPerTrace: expect.any(Number) })
    } finally {
      const reader = await importIsolatedReader()
      env.lambda.register('reader', (event) => reader.handler(event as never, lambdaContext('reader')))
    }
  })

  it('reader: a job that would write outside its own <results>/<tenant>/<requestId>/run-<n>/parts/ is refused, reported through the Lambda API as a function error', async () => {
    const { LambdaInvoker } = await import('../../functions/adapters/lambda-invoker.js')
    const invoker = new LambdaInvoker({ functionName: 'reader', clientConfig: env.lambda.clientConfig, timeoutMs: 10_000 })
    const job = {
      requestId: 'evil', tenant: 'single-tenant', shard: 0, blockIdMin: '00000000-0000-0000-0000-000000000000', blockIdMax: 'ffffffff-ffff-ffff-ffff-ffffffffffff',
      blocks: [], traceIds: [], maxBytesPerTrace: 5_000_000, partKey: 'results/other-request/manifest.json',
    }
    await expect(captureStdout(() => invoker.invoke(job))).rejects.toMatchObject({ name: 'ReaderInvocationError', message: expect.stringMatching(/InvalidRequestError: invalid request: partKey: must be a part key under results\/single-tenant\/evil\//) })
    // Another tenant's part under the same request ID, or an ID list of another request, is refused too.
    const crossTenant = { ...job, partKey: 'results/tenant-b/evil/run-1/parts/00000.ndjson.gz' }
    await expect(captureStdout(() => invoker.invoke(crossTenant))).rejects.toMatchObject({ message: expect.stringMatching(/partKey: must be a part key/) })
    const foreignIds = { ...job, partKey: 'results/single-tenant/evil/run-1/parts/00000.ndjson.gz', idsKey: 'results/single-tenant/other/run-1/jobs/00000.json' }
    await expect(captureStdout(() => invoker.invoke(foreignIds))).rejects.toMatchObject({ message: expect.stringMatching(/idsKey: must be a job ID list key/) })
  })

  it('SQS: processes a batch, answers the invalid message on SNS and deletes it (no retry), announces completions, and is idempotent on redelivery', async () => {
    const ids = found.slice(0, 2).map((g) => g.traceId)
    const event: SQSEvent = {
      Records: [
        sqsRecord('msg-ok-1', JSON.stringify({ tenant: 'single-tenant', traceIds: ids })),
        sqsRecord('msg-bad', JSON.stringify({ tenant: 'single-tenant', traceIds: 'not-a-list' })),
        sqsRecord('msg-ok-2', JSON.stringify({ tenant: 'single-tenant', traceIds: [absent[0]!.traceId], requestId: 'sqs-explicit' })),
        // Unchecked names never reach the topic: not a Tempo tenant, not a request ID.
        sqsRecord('msg-bad-names', JSON.stringify({ tenant: '../other', traceIds: [absent[0]!.traceId], requestId: '../x' })),
      ],
    }
    const { result, lines } = await captureStdout(() => handlers.sqs.handler(event, lambdaContext('sqs')))
    // A bad request stays bad: retrying it would only bring it back twice, 90 minutes apart, before the DLQ.
    expect(result).toEqual({ batchItemFailures: [] })
    expect(lines.filter((line) => line._aws !== undefined && 'RequestsRejected' in line)).toHaveLength(2)

    const received = (await env.receiveCompletions()) as (CompletionNotice | RejectionNotice)[]
    const rejected = received.filter((n): n is RejectionNotice => n.status === 'rejected')
    expect(rejected.find((n) => n.messageId === 'msg-bad')).toEqual({ messageId: 'msg-bad', requestId: 'msg-bad', status: 'rejected', tenant: 'single-tenant', field: 'traceIds', error: 'invalid request: traceIds: must be an array' })
    expect(rejected.find((n) => n.messageId === 'msg-bad-names')).toMatchObject({ requestId: 'msg-bad-names', status: 'rejected', field: 'tenant' })
    expect(rejected.find((n) => n.messageId === 'msg-bad-names')).not.toHaveProperty('tenant')
    const notices = received.filter((n): n is CompletionNotice => n.status !== 'rejected')
    expect(notices.map((n) => n.requestId).sort()).toEqual(['msg-ok-1', 'sqs-explicit'])
    const first = notices.find((n) => n.requestId === 'msg-ok-1')!
    expect(first).toMatchObject({ tenant: 'single-tenant', status: 'complete', reused: false, counts: { requested: 2, found: 2 } })
    expect(first.manifestLocation).toBe(`s3://${env.resultBucket}/results/single-tenant/msg-ok-1/manifest.json`)
    expect(first.resultLocation).toBe(`s3://${env.resultBucket}/results/single-tenant/msg-ok-1/run-1/result.ndjson.gz`)
    const manifest = JSON.parse(Buffer.from(await env.fauxqs.openStore(env.resultBucket).get('results/single-tenant/msg-ok-1/manifest.json')).toString('utf8')) as { counts: { found: number } }
    expect(manifest.counts.found).toBe(2)

    // Redelivery of the same message: same requestId (the message ID), answered from the manifest.
    const again = await captureStdout(() => handlers.sqs.handler({ Records: [event.Records[0]!] }, lambdaContext('sqs')))
    expect(again.result.batchItemFailures).toEqual([])
    const redelivered = (await env.receiveCompletions()) as CompletionNotice[]
    expect(redelivered).toHaveLength(1)
    expect(redelivered[0]).toMatchObject({ requestId: 'msg-ok-1', reused: true })
  })

  it('Step Functions: a request input yields the manifest output; a Distributed Map chunk gets a derived, stable requestId', async () => {
    const direct = (await captureStdout(() => handlers.sfn.handler({ tenant: 'single-tenant', traceIds: found.map((g) => g.traceId), requestId: 'sfn-direct' }, lambdaContext('sfn')))).result as TaskOutput
    expect(direct).toMatchObject({ requestId: 'sfn-direct', status: 'complete', counts: { requested: 6, found: 6 }, manifestKey: 'results/single-tenant/sfn-direct/manifest.json', resultLocation: `s3://${env.resultBucket}/results/single-tenant/sfn-direct/run-1/result.ndjson.gz` })
    expect(direct.manifest?.requestId).toBe('sfn-direct')
    expect(Buffer.byteLength(JSON.stringify(direct))).toBeLessThan(256 * 1024)

    const chunk = { BatchInput: { tenant: 'single-tenant', requestId: 'exec-1' }, Items: [found[0]!.traceId, absent[0]!.traceId] }
    const a = (await captureStdout(() => handlers.sfn.handler(chunk, lambdaContext('sfn')))).result as TaskOutput
    const b = (await captureStdout(() => handlers.sfn.handler(chunk, lambdaContext('sfn')))).result as TaskOutput
    expect(a.requestId).toMatch(/^exec-1-[0-9a-f]{16}$/)
    expect(b).toMatchObject({ requestId: a.requestId, reused: true })
    expect(a).toMatchObject({ reused: false, counts: { requested: 2, found: 1, not_found: 1 } })
    expect(a.manifest).toBeUndefined()

    await expect(captureStdout(() => handlers.sfn.handler({ tenant: 'single-tenant' }, lambdaContext('sfn')))).rejects.toMatchObject({ name: 'InvalidRequestError', field: 'traceIds' })
  })
})
