import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { S3Store, createS3Client, parseS3Url } from '../../functions/adapters/s3-store.js'
import { ObjectNotFoundError, StorageError } from '../../functions/core/contract/errors.js'
import type { ObjectInfo } from '../../functions/core/storage/object-store.js'
import { startFauxqs, type FauxqsHandle } from '../support/fauxqs.js'
import { describeObjectStoreContract } from '../support/object-store-contract.js'
import { startFaultyProxy, type FaultyProxy } from './faulty-proxy.js'

const encoder = new TextEncoder()

async function collect(items: AsyncIterable<ObjectInfo>): Promise<string[]> {
  const keys: string[] = []
  for await (const item of items) keys.push(item.key)
  return keys
}

let fauxqs: FauxqsHandle
let bucketCount = 0

beforeAll(async () => {
  fauxqs = await startFauxqs()
})
afterAll(async () => {
  await fauxqs?.stop()
})

async function freshBucket(): Promise<string> {
  const bucket = `contract-${++bucketCount}`
  await fauxqs.createBucket(bucket)
  return bucket
}

// Keys outside the store's prefix must never leak into its listings.
describeObjectStoreContract(
  'S3Store (fauxqs, prefix, 7 keys per page)',
  async () => {
    const bucket = await freshBucket()
    await fauxqs.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'outside/tenant-a/block-1/meta.json', Body: 'x' }))
    await fauxqs.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tempo-other/tenant-a/x', Body: 'x' }))
    return { store: fauxqs.openStore(bucket, 'tempo/', { listPageSize: 7 }) }
  },
  { manyKeys: 30 },
)

describeObjectStoreContract('S3Store (fauxqs, bucket root)', async () => ({ store: fauxqs.openStore(await freshBucket()) }))

describe('S3Store', () => {
  it('parses s3 urls into bucket and normalised prefix', () => {
    expect(parseS3Url('s3://bucket')).toEqual({ bucket: 'bucket', prefix: '' })
    expect(parseS3Url('s3://bucket/')).toEqual({ bucket: 'bucket', prefix: '' })
    expect(parseS3Url('s3://bucket/a/b')).toEqual({ bucket: 'bucket', prefix: 'a/b/' })
    expect(parseS3Url('s3://bucket/a/b/')).toEqual({ bucket: 'bucket', prefix: 'a/b/' })
    expect(() => parseS3Url('/data/tempo')).toThrow(StorageError)
    expect(() => parseS3Url('s3:///x')).toThrow(StorageError)
  })

  it('fromUrl: a custom endpoint implies path-style and a default region', async () => {
    const store = S3Store.fromUrl('s3://my-bucket/some/prefix', { endpoint: fauxqs.endpoint, credentials: fauxqs.credentials })
    expect(store.bucket).toBe('my-bucket')
    expect(store.prefix).toBe('some/prefix/')
    expect(store.description).toBe('s3://my-bucket/some/prefix')
    expect(await store.client.config.forcePathStyle).toBe(true)
    expect(await store.client.config.region()).toBe(process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1')
    await fauxqs.createBucket('my-bucket')
    await store.put('k', encoder.encode('through fromUrl'))
    const { Body } = await fauxqs.s3.send(new GetObjectCommand({ Bucket: 'my-bucket', Key: 'some/prefix/k' }))
    expect(await Body!.transformToString()).toBe('through fromUrl')
    store.client.destroy()
  })

  it('fromUrl: AWS_ENDPOINT_URL is honoured and implies path-style', async () => {
    const saved = process.env.AWS_ENDPOINT_URL
    process.env.AWS_ENDPOINT_URL = fauxqs.endpoint
    try {
      const store = S3Store.fromUrl('s3://env-bucket', { credentials: fauxqs.credentials })
      expect(await store.client.config.forcePathStyle).toBe(true)
      await fauxqs.createBucket('env-bucket')
      await store.put('a', encoder.encode('env'))
      expect(new TextDecoder().decode(await store.get('a'))).toBe('env')
      store.client.destroy()
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL
      else process.env.AWS_ENDPOINT_URL = saved
    }
  })

  it('pages through more than 1000 keys with the default page size', async () => {
    const bucket = await freshBucket()
    const store = fauxqs.openStore(bucket, 'p')
    const keys = Array.from({ length: 1003 }, (_, i) => `t/${String(i).padStart(4, '0')}`)
    // Seed with unsigned plain PUTs (fauxqs does not check signatures): SDK signing of 1003 requests costs seconds.
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(
        keys.slice(i, i + 50).map(async (key) => {
          const response = await fetch(`${fauxqs.endpoint}/${bucket}/p/${key}`, { method: 'PUT', body: '.' })
          expect(response.status).toBe(200)
        }),
      )
    }
    expect(await collect(store.list('t/'))).toEqual(keys)
  })

  it('lists folders across pages', async () => {
    const bucket = await freshBucket()
    const store = fauxqs.openStore(bucket, '', { listPageSize: 2 })
    const folders = ['t/a/', 't/b/', 't/c/', 't/d/', 't/e/']
    for (const folder of folders) await store.put(`${folder}meta.json`, encoder.encode('{}'))
    await store.put('t/file', encoder.encode('not a folder'))
    expect(await store.listFolders('t/')).toEqual(folders)
  })

  it('names the bucket and key in errors; a missing bucket is a StorageError, not a missing object', async () => {
    const store = fauxqs.openStore(await freshBucket(), 'pre')
    const missing = await store.get('nope').catch((error: unknown) => error)
    expect(missing).toBeInstanceOf(ObjectNotFoundError)
    expect((missing as Error).message).toContain('s3://contract-')
    expect((missing as Error).message).toContain('/pre/nope')
    const noBucket = await fauxqs.openStore('no-such-bucket').get('x').catch((error: unknown) => error)
    expect(noBucket).toBeInstanceOf(StorageError)
    expect((noBucket as Error).message).toMatch(/^storage: s3 get failed: NoSuchBucket/)
  })

  it('rejects an invalid range without a request', async () => {
    const store = fauxqs.openStore(await freshBucket())
    await expect(store.get('x', { start: 5, end: 4 })).rejects.toThrow(/invalid byte range/)
    await expect(store.get('x', { start: -1, end: 4 })).rejects.toThrow(/invalid byte range/)
  })
})

describe('S3Store retries', () => {
  let proxy: FaultyProxy
  let store: S3Store
  const retryEvents: string[] = []
  const payload = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) % 256)

  beforeAll(async () => {
    const bucket = await freshBucket()
    await fauxqs.openStore(bucket).put('obj', payload)
    proxy = await startFaultyProxy(fauxqs.endpoint)
    const client = createS3Client({ endpoint: proxy.endpoint, region: fauxqs.region, credentials: fauxqs.credentials })
    store = new S3Store(client, bucket, '', {
      retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 },
      onRetry: (event) => retryEvents.push(`${event.operation} ${event.location} #${event.attempt}`),
    })
  })
  afterAll(async () => {
    store?.client.destroy()
    await proxy?.stop()
  })

  it('retries 503 SlowDown twice, then succeeds', async () => {
    proxy.seen.length = 0
    proxy.faults = ['slow-down', 'slow-down']
    expect(await store.get('obj', { start: 10, end: 20 })).toEqual(payload.subarray(10, 20))
    expect(proxy.seen.map((s) => s.fault)).toEqual(['slow-down', 'slow-down', 'pass'])
    expect(retryEvents).toEqual([`get s3://${store.bucket}/obj #1`, `get s3://${store.bucket}/obj #2`])
    expect(store.retries).toBe(2)
  })

  it('retries 500 InternalError on head and list', async () => {
    proxy.seen.length = 0
    proxy.faults = ['internal-error', 'internal-error']
    expect((await store.head('obj')).size).toBe(4096)
    proxy.faults = ['slow-down']
    expect(await collect(store.list(''))).toEqual(['obj'])
    expect(proxy.seen.map((s) => s.fault)).toEqual(['internal-error', 'internal-error', 'pass', 'slow-down', 'pass'])
  })

  it('retries a body cut off mid-stream (the SDK alone would not)', async () => {
    proxy.seen.length = 0
    proxy.faults = ['cut-body']
    expect(await store.get('obj')).toEqual(payload)
    expect(proxy.seen.map((s) => s.fault)).toEqual(['cut-body', 'pass'])
  })

  it('retries a ranged GET answered with fewer bytes than asked (a short read is never handed on)', async () => {
    proxy.seen.length = 0
    proxy.faults = ['short-range']
    expect(await store.get('obj', { start: 10, end: 60 })).toEqual(payload.subarray(10, 60))
    expect(proxy.seen.map((s) => s.fault)).toEqual(['short-range', 'pass'])
    // Past the end of the object the answer is clipped as S3 clips it: that is not a short read.
    expect((await store.get('obj', { start: payload.length - 5, end: payload.length + 100 })).length).toBe(5)
  })

  it('gives up after maxAttempts with a StorageError naming the throttling', async () => {
    proxy.seen.length = 0
    proxy.faults = ['slow-down', 'slow-down', 'slow-down', 'slow-down', 'slow-down']
    const error = await store.get('obj').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StorageError)
    expect((error as Error).message).toContain('SlowDown')
    expect((error as Error).message).toContain('http 503')
    expect(proxy.seen.length).toBe(4)
    proxy.faults = []
  })

  it('retries a refused connection, then fails with a StorageError', async () => {
    const closed = await startFaultyProxy(fauxqs.endpoint)
    const endpoint = closed.endpoint
    await closed.stop()
    const client = createS3Client({ endpoint, region: fauxqs.region, credentials: fauxqs.credentials })
    const unreachable = new S3Store(client, 'any', '', { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 10 } })
    const error = await unreachable.head('x').catch((e: unknown) => e)
    client.destroy()
    expect(error).toBeInstanceOf(StorageError)
    expect((error as Error).message).toMatch(/^storage: s3 head failed: .*ECONNREFUSED/)
    expect(unreachable.retries).toBe(2)
  })

  it('does not retry AccessDenied', async () => {
    proxy.seen.length = 0
    proxy.faults = ['access-denied']
    const error = await store.get('obj').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StorageError)
    expect((error as Error).message).toContain('AccessDenied')
    expect(proxy.seen.length).toBe(1)
  })
})
