import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { readFileSync } from 'node:fs'
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns'
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs'
import type { Context } from 'aws-lambda'
import { vi } from 'vitest'
import { EnvNames } from '../../../functions/config/env.js'
import { applyAwsEnv, startFauxqs, type FauxqsHandle } from '../../support/fauxqs.js'
import { startLambdaServer, type LambdaServer } from '../../support/lambda-server.js'
import { tempoGeneratedDir } from '../../support/shared-fixtures.js'

/** The Tempo root whose single-tenant blocks the handler tests upload (Tempo v3.0.3 vParquet4). */
export const vParquet4Root = join(tempoGeneratedDir, 'correctness', 'vParquet4')

/** One golden query record (see tempo-generated/correctness/queries.md). */
export interface GoldenRecord {
  traceId: string
  start: number
  end: number
  v2: { trace: unknown; status?: string }
  blocks: string[]
  category: string
}

/** Golden records of a tenant in vParquet4. */
export function readGoldens(tenant: string): GoldenRecord[] {
  const text = gunzipSync(readFileSync(join(tempoGeneratedDir, 'correctness', 'goldens', 'vParquet4', `${tenant}.jsonl.gz`))).toString('utf8')
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as GoldenRecord)
}

/** A Lambda context good enough for Powertools and our handlers (15 minutes left unless `remainingMs`). */
export function lambdaContext(functionName: string, remainingMs = 900_000): Context {
  const ends = Date.now() + remainingMs
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: `req-${Math.random().toString(16).slice(2)}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => Math.max(0, ends - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }
}

/** Everything the handler tests run against. */
export interface HandlerEnvironment {
  fauxqs: FauxqsHandle
  lambda: LambdaServer
  sns: SNSClient
  /** URL of an SQS queue subscribed (raw) to the completion topic. */
  completionQueueUrl: string
  /** URL of the request queue the API hands unfinished batches to. */
  requestQueueUrl: string
  /** Receive up to `max` messages from the request queue (waits briefly). */
  receiveRequests(max?: number): Promise<unknown[]>
  tempoBucket: string
  resultBucket: string
  /** Receive up to `max` completion notices (waits briefly). */
  receiveCompletions(max?: number): Promise<unknown[]>
  stop(): Promise<void>
}

/**
 * Start fauxqs (S3, SQS, SNS) and the local Lambda Invoke API on loopback, upload the vParquet4 tenant
 * `single-tenant` under `tempo/` (or, with `tempoRoot`, every tenant in that local Tempo folder), register
 * the REAL reader handler as function `reader` (imported in a module graph of its own, as it would run in
 * its own Lambda container), and set the environment the CDK construct sets, plus `extraEnv`.
 */
export async function startHandlerEnvironment(extraEnv: Record<string, string> = {}, options: { tempoRoot?: string } = {}): Promise<HandlerEnvironment> {
  const fauxqs = await startFauxqs()
  const tempoBucket = 'tempo-traces'
  const resultBucket = 'tempo-batch-results'
  await fauxqs.createBucket(tempoBucket)
  await fauxqs.createBucket(resultBucket)
  if (options.tempoRoot !== undefined) await fauxqs.uploadDirectory(options.tempoRoot, tempoBucket, 'tempo')
  else await fauxqs.uploadDirectory(join(vParquet4Root, 'single-tenant'), tempoBucket, 'tempo/single-tenant')

  const sns = new SNSClient({ endpoint: fauxqs.endpoint, region: fauxqs.region, credentials: fauxqs.credentials })
  const topic = await sns.send(new CreateTopicCommand({ Name: 'tempo-batch-completions' }))
  const queue = await fauxqs.sqs.send(new CreateQueueCommand({ QueueName: 'completion-listener' }))
  const queueArn = (await fauxqs.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!
  await sns.send(new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'true' } }))

  const requests = await fauxqs.sqs.send(new CreateQueueCommand({ QueueName: 'tempo-batch-requests' }))

  const lambda = await startLambdaServer()
  const restoreAws = applyAwsEnv(fauxqs)
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
    [EnvNames.tempoBucket]: tempoBucket,
    [EnvNames.tempoPrefix]: 'tempo',
    [EnvNames.resultBucket]: resultBucket,
    [EnvNames.resultPrefix]: 'results',
    [EnvNames.readerFunction]: 'arn:aws:lambda:us-east-1:123456789012:function:reader',
    [EnvNames.completionTopicArn]: topic.TopicArn!,
    [EnvNames.requestQueueUrl]: requests.QueueUrl!,
    [EnvNames.readerTimeoutMs]: '60000',
    POWERTOOLS_DEV: '',
    ...extraEnv,
  }
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]))
  Object.assign(process.env, env)

  const receive = async (queueUrl: string, max: number): Promise<unknown[]> => {
    const received = await fauxqs.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: max, WaitTimeSeconds: 1 }))
    return (received.Messages ?? []).map((m) => JSON.parse(m.Body ?? 'null') as unknown)
  }

  vi.resetModules()
  const reader = await import('../../../functions/handlers/reader.js')
  vi.resetModules()
  lambda.register('reader', (event) => reader.handler(event as never, lambdaContext('reader')))

  return {
    fauxqs,
    lambda,
    sns,
    completionQueueUrl: queue.QueueUrl!,
    requestQueueUrl: requests.QueueUrl!,
    receiveRequests: (max = 10) => receive(requests.QueueUrl!, max),
    tempoBucket,
    resultBucket,
    receiveCompletions: (max = 10) => receive(queue.QueueUrl!, max),
    stop: async () => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
      restoreAws()
      sns.destroy()
      await lambda.stop()
      await fauxqs.stop()
    },
  }
}

/** Capture stdout and stderr (Powertools logs, warnings and errors, EMF metrics) while `work` runs. */
export async function captureStdout<T>(work: () => Promise<T>): Promise<{ result: T; lines: Record<string, unknown>[] }> {
  const chunks: string[] = []
  const record = (chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    return true
  }
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(record), vi.spyOn(process.stderr, 'write').mockImplementation(record)]
  try {
    const result = await work()
    const lines = chunks.join('').split('\n').flatMap((line) => {
      try {
        const parsed: unknown = JSON.parse(line)
        return typeof parsed === 'object' && parsed !== null ? [parsed as Record<string, unknown>] : []
      } catch {
        return []
      }
    })
    return { result, lines }
  } finally {
    for (const spy of spies) spy.mockRestore()
  }
}
