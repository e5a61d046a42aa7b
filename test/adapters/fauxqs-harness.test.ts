import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyAwsEnv, startFauxqs, type FauxqsHandle } from '../support/fauxqs.js'

describe('fauxqs test harness', () => {
  let fauxqs: FauxqsHandle
  let dir: string

  beforeAll(async () => {
    fauxqs = await startFauxqs()
    dir = await mkdtemp(join(tmpdir(), 'tempo-batch-harness-'))
  })
  afterAll(async () => {
    await fauxqs?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('listens on loopback only', () => {
    expect(fauxqs.endpoint).toBe(`http://127.0.0.1:${fauxqs.port}`)
    expect(fauxqs.port).toBeGreaterThan(0)
  })

  it('uploads a directory tree with / keys under a prefix', async () => {
    await mkdir(join(dir, 'tenant', 'block', 'nested'), { recursive: true })
    await writeFile(join(dir, 'tenant', 'block', 'meta.json'), '{"a":1}')
    await writeFile(join(dir, 'tenant', 'block', 'nested', 'bloom-0'), Buffer.from([0, 1, 2, 255]))
    await writeFile(join(dir, 'tenant', 'index.json.gz'), 'idx')
    await fauxqs.createBucket('upload')
    await fauxqs.createBucket('upload') // idempotent
    expect(await fauxqs.uploadDirectory(dir, 'upload', 'pre')).toBe(3)
    const store = fauxqs.openStore('upload', 'pre')
    const keys: string[] = []
    for await (const info of store.list('')) keys.push(info.key)
    expect(keys).toEqual(['tenant/block/meta.json', 'tenant/block/nested/bloom-0', 'tenant/index.json.gz'])
    expect(await store.get('tenant/block/nested/bloom-0')).toEqual(Uint8Array.of(0, 1, 2, 255))
  })

  it('creates a queue with a dead-letter queue that receives a message after maxReceiveCount receives', async () => {
    const queue = await fauxqs.createQueue('requests', { deadLetter: 'requests-dlq', maxReceiveCount: 2, visibilityTimeoutSeconds: 0 })
    expect(queue.queueArn).toBe('arn:aws:sqs:us-east-1:000000000000:requests')
    expect(queue.deadLetter?.queueArn).toBe('arn:aws:sqs:us-east-1:000000000000:requests-dlq')
    await fauxqs.sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: '{"tenant":"t"}' }))
    for (let i = 0; i < 2; i++) {
      const { Messages } = await fauxqs.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, WaitTimeSeconds: 1 }))
      expect(Messages?.[0]?.Body).toBe('{"tenant":"t"}')
    }
    await fauxqs.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, WaitTimeSeconds: 0 }))
    const { Messages } = await fauxqs.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.deadLetter!.queueUrl, WaitTimeSeconds: 1 }))
    expect(Messages?.[0]?.Body).toBe('{"tenant":"t"}')
  })

  it('applies and restores the AWS environment', () => {
    const before = process.env.AWS_ENDPOINT_URL
    const restore = applyAwsEnv(fauxqs)
    expect(process.env.AWS_ENDPOINT_URL).toBe(fauxqs.endpoint)
    expect(process.env.AWS_ACCESS_KEY_ID).toBe('test')
    restore()
    expect(process.env.AWS_ENDPOINT_URL).toBe(before)
  })
})
