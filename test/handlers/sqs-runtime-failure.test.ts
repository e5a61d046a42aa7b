import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { writeSmallTenant } from '../support/small-tenant.js'
import { captureStdout, lambdaContext, startHandlerEnvironment, type HandlerEnvironment } from './support/handler-env.js'
import { sqsRecord } from './support/sqs-record.js'

/**
 * Untested before (issue 14): an SQS message that is valid but fails while it runs (here: the result
 * bucket is gone) must be reported as a batch item failure, so SQS delivers it again (and, after the
 * receive limit, to the dead-letter queue), while the other messages of the batch are answered.
 */

let work: string
let env: HandlerEnvironment
let ids: string[] = []

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tempo-batch-sqs-'))
  ids = (await writeSmallTenant(new FsStore(join(work, 'tempo')), 'demo', 91)).traceIds
  env = await startHandlerEnvironment({}, { tempoRoot: join(work, 'tempo') })
})
afterAll(async () => {
  await env?.stop()
  await rm(work, { recursive: true, force: true })
})

async function sqsHandler(resultBucket: string) {
  process.env.RESULT_BUCKET = resultBucket
  vi.resetModules()
  return (await import('../../functions/handlers/sqs.js')).handler
}

describe('SQS: a message failing at run time', () => {
  it('is a batch item failure with the error logged and counted; the handler itself does not throw', async () => {
    const handler = await sqsHandler('no-such-result-bucket')
    const event = { Records: [sqsRecord('msg-runtime', JSON.stringify({ tenant: 'demo', traceIds: ids.slice(0, 2) }))] }
    const { result, lines } = await captureStdout(() => handler(event, lambdaContext('sqs')))
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-runtime' }] })
    const logged = lines.find((line) => line.message === 'request message failed')
    expect(logged).toMatchObject({ level: 'ERROR', messageId: 'msg-runtime' })
    expect(String(logged?.error)).toContain('no-such-result-bucket')
    expect(lines.find((line) => line._aws !== undefined && 'RequestsFailed' in line)).toMatchObject({ RequestsFailed: 1 })
  })

  it('the same message succeeds once the bucket is there (the failure was not the message\'s fault)', async () => {
    const handler = await sqsHandler(env.resultBucket)
    const event = { Records: [sqsRecord('msg-runtime', JSON.stringify({ tenant: 'demo', traceIds: ids.slice(0, 2) }))] }
    const { result } = await captureStdout(() => handler(event, lambdaContext('sqs')))
    expect(result).toEqual({ batchItemFailures: [] })
  })
})
