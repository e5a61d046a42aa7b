import { readdir, readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs'
import { buildApp } from 'fauxqs'
import { S3Store, createS3Client } from '../../functions/adapters/s3-store.js'

/**
 * fauxqs (an in-memory S3 + SQS + SNS server) on 127.0.0.1 for tests. Its CLI and `startFauxqs` bind
 * 0.0.0.0, so we build the app and listen on loopback ourselves. Every object lives in memory and
 * disappears with `stop()`.
 */

// The SDK warns once per process that Node 20 support ends in 2027; in test output it is only noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

/** Static test credentials fauxqs accepts (it does not check signatures). */
export const fauxqsCredentials = { accessKeyId: 'test', secretAccessKey: 'test' } as const

/** A running fauxqs and clients bound to it. */
export interface FauxqsHandle {
  /** `http://127.0.0.1:<port>` */
  endpoint: string
  port: number
  region: string
  credentials: { accessKeyId: string; secretAccessKey: string }
  /** S3 client (path-style) for seeding and assertions. */
  s3: S3Client
  /** SQS client for queues. */
  sqs: SQSClient
  /** Environment for code that builds its own clients (`AWS_ENDPOINT_URL`, region, credentials). */
  env: Record<string, string>
  /** Create a bucket (no error if it exists). */
  createBucket(name: string): Promise<void>
  /** Upload every file below `localDir` to `bucket` under `keyPrefix` (keys use `/`); returns the number of files. */
  uploadDirectory(localDir: string, bucket: string, keyPrefix?: string): Promise<number>
  /**
   * Create an SQS queue (idempotent); with `deadLetter`, also its DLQ and a redrive policy
   * (`maxReceiveCount` default 3).
   */
  createQueue(name: string, options?: { deadLetter?: string; maxReceiveCount?: number; visibilityTimeoutSeconds?: number }): Promise<QueueInfo>
  /** An `S3Store` over `bucket`/`prefix` on this server (small retry delays for tests). */
  openStore(bucket: string, prefix?: string, options?: { listPageSize?: number }): S3Store
  /** Close the server (and the clients). */
  stop(): Promise<void>
}

/** A created queue. */
export interface QueueInfo {
  queueUrl: string
  queueArn: string
  deadLetter?: { queueUrl: string; queueArn: string }
}

/** Start fauxqs on 127.0.0.1 on a free port (or `port`). */
export async function startFauxqs(options: { port?: number; region?: string } = {}): Promise<FauxqsHandle> {
  const region = options.region ?? 'us-east-1'
  // No `host` option: queue URLs then carry the request's Host (127.0.0.1:<port>), which resolves here.
  const app = buildApp({ logger: false, defaultRegion: region })
  await app.listen({ port: options.port ?? 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('fauxqs: no tcp address after listen')
  const port = address.port
  const endpoint = `http://127.0.0.1:${port}`
  const credentials = { ...fauxqsCredentials }
  const s3 = createS3Client({ endpoint, region, credentials })
  const sqs = new SQSClient({ endpoint, region, credentials })
  const env = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  }

  const createBucket = async (name: string): Promise<void> => {
    try {
      await s3.send(new CreateBucketCommand({ Bucket: name }))
    } catch (error) {
      const name = (error as { name?: string }).name
      if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error
    }
  }

  const uploadDirectory = async (localDir: string, bucket: string, keyPrefix = ''): Promise<number> => {
    const files = await listFiles(localDir)
    const prefix = keyPrefix === '' || keyPrefix.endsWith('/') ? keyPrefix : `${keyPrefix}/`
    await mapLimit(files, 8, async (file) => {
      const key = prefix + relative(localDir, file).split(sep).join('/')
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: await readFile(file) }))
    })
    return files.length
  }

  const queueInfo = async (name: string, attributes: Record<string, string> = {}): Promise<{ queueUrl: string; queueArn: string }> => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))
    if (!QueueUrl || !Attributes?.QueueArn) throw new Error(`fauxqs: queue ${name} has no url or arn`)
    return { queueUrl: QueueUrl, queueArn: Attributes.QueueArn }
  }

  const createQueue: FauxqsHandle['createQueue'] = async (name, queueOptions = {}) => {
    const attributes: Record<string, string> = {}
    if (queueOptions.visibilityTimeoutSeconds !== undefined) attributes.VisibilityTimeout = String(queueOptions.visibilityTimeoutSeconds)
    if (queueOptions.deadLetter === undefined) return queueInfo(name, attributes)
    const deadLetter = await queueInfo(queueOptions.deadLetter)
    attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: deadLetter.queueArn, maxReceiveCount: queueOptions.maxReceiveCount ?? 3 })
    return { ...(await queueInfo(name, attributes)), deadLetter }
  }

  return {
    endpoint,
    port,
    region,
    credentials,
    s3,
    sqs,
    env,
    createBucket,
    uploadDirectory,
    createQueue,
    openStore: (bucket, prefix = '', storeOptions = {}) =>
      new S3Store(s3, bucket, prefix, { retry: { baseDelayMs: 5, maxDelayMs: 50 }, ...storeOptions }),
    stop: async () => {
      s3.destroy()
      sqs.destroy()
      await app.close()
    },
  }
}

/**
 * Set `handle.env` in `process.env` (for code under test that builds clients from the environment);
 * returns a function that restores the previous values.
 */
export function applyAwsEnv(handle: Pick<FauxqsHandle, 'env'>): () => void {
  const saved = new Map<string, string | undefined>()
  for (const [name, value] of Object.entries(handle.env)) {
    saved.set(name, process.env[name])
    process.env[name] = value
  }
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
}

async function mapLimit<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!
      await run(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
