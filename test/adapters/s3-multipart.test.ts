import type { S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { S3Store, createS3Client } from '../../functions/adapters/s3-store.js'
import { ObjectNotFoundError, StorageError } from '../../functions/core/contract/errors.js'
import { startFauxqs, type FauxqsHandle } from '../support/fauxqs.js'
import { startFaultyProxy, type FaultyProxy } from './faulty-proxy.js'

// putStream's multipart path against fauxqs, which enforces S3's 5 MiB minimum for every part but the last.
const MiB = 1024 * 1024
const PART = 5 * MiB

let fauxqs: FauxqsHandle
let proxy: FaultyProxy
let client: S3Client
let store: S3Store
/** Command names the store sent, in order. */
const sent: string[] = []
/** Extra time each UploadPart takes (a slow link), and what happens when one finishes. */
let uploadDelayMs = 0
let onPartUploaded = () => {}

beforeAll(async () => {
  fauxqs = await startFauxqs()
  await fauxqs.createBucket('multipart')
  proxy = await startFaultyProxy(fauxqs.endpoint)
  client = createS3Client({ endpoint: proxy.endpoint, region: fauxqs.region, credentials: fauxqs.credentials })
  const send = client.send.bind(client)
  client.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) => {
    const name = command.constructor.name.replace(/Command$/, '')
    sent.push(name)
    const result = (send as (...args: unknown[]) => Promise<unknown>)(command, ...rest)
    if (name !== 'UploadPart') return result
    return result.then(async (output) => {
      await new Promise((resolve) => setTimeout(resolve, uploadDelayMs))
      onPartUploaded()
      return output
    })
  }) as S3Client['send']
  store = new S3Store(client, 'multipart', 'results/', { multipartPartBytes: PART, retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 10 } })
})
afterAll(async () => {
  client?.destroy()
  await proxy?.stop()
  await fauxqs?.stop()
})

/** `size` bytes of a recognisable pattern. */
function pattern(size: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed + (i >> 13)) % 251)
}

/** `bytes` as a stream of irregular chunks (so parts never line up with chunks); optionally failing after `failAfterBytes`. */
async function* chunksOf(bytes: Uint8Array, failAfterBytes?: number, failure?: Error): AsyncIterable<Uint8Array> {
  const sizes = [700_001, 1_300_007, 65_536, 3 * MiB + 17]
  for (let offset = 0, i = 0; offset < bytes.length; i++) {
    if (failAfterBytes !== undefined && offset >= failAfterBytes) throw failure
    const size = sizes[i % sizes.length]!
    yield bytes.subarray(offset, offset + size)
    offset += size
  }
}

describe('S3Store.putStream (multipart)', () => {
  it('uploads a body of more than one part as a multipart upload, byte for byte', async () => {
    const body = pattern(2 * PART + 1234567)
    sent.length = 0
    await store.putStream('big.ndjson.gz', chunksOf(body), { contentType: 'application/x-ndjson', contentEncoding: 'gzip' })
    expect(sent).toEqual(['CreateMultipartUpload', 'UploadPart', 'UploadPart', 'UploadPart', 'CompleteMultipartUpload'])
    expect((await store.head('big.ndjson.gz')).size).toBe(body.length)
    expect(Buffer.from(await store.get('big.ndjson.gz')).equals(Buffer.from(body))).toBe(true)
  })

  it('ends on a full part without an empty last part', async () => {
    const body = pattern(2 * PART, 7)
    sent.length = 0
    await store.putStream('exact', chunksOf(body))
    expect(sent).toEqual(['CreateMultipartUpload', 'UploadPart', 'UploadPart', 'CompleteMultipartUpload'])
    expect(Buffer.from(await store.get('exact')).equals(Buffer.from(body))).toBe(true)
  })

  it('fills the next part while one uploads (the producer does not wait for S3)', async () => {
    const body = pattern(3 * PART, 9)
    let pulled = 0
    async function* counted(): AsyncIterable<Uint8Array> {
      for await (const chunk of chunksOf(body)) {
        pulled += chunk.length
        yield chunk
      }
    }
    const pulledWhenUploaded: number[] = []
    uploadDelayMs = 300
    onPartUploaded = () => pulledWhenUploaded.push(pulled)
    try {
      await store.putStream('overlapped', counted())
    } finally {
      uploadDelayMs = 0
      onPartUploaded = () => {}
    }
    // While part 1 uploaded, part 2 filled (and the body was pulled on into part 3).
    expect(pulledWhenUploaded[0]).toBeGreaterThanOrEqual(2 * PART)
    expect(Buffer.from(await store.get('overlapped')).equals(Buffer.from(body))).toBe(true)
  })

  it('writes a body smaller than one part with one PutObject', async () => {
    const body = pattern(PART - 1, 3)
    sent.length = 0
    await store.putStream('small', chunksOf(body))
    expect(sent).toEqual(['PutObject'])
    expect(Buffer.from(await store.get('small')).equals(Buffer.from(body))).toBe(true)
  })

  it("aborts the upload when the body fails after a part: the body's error, the old object stays", async () => {
    await store.put('kept', new TextEncoder().encode('old'))
    const failure = new Error('merge failed')
    sent.length = 0
    await expect(store.putStream('kept', chunksOf(pattern(3 * PART), PART + 1, failure))).rejects.toBe(failure)
    expect(sent).toEqual(['CreateMultipartUpload', 'UploadPart', 'AbortMultipartUpload'])
    expect(new TextDecoder().decode(await store.get('kept'))).toBe('old')
    await expect(store.putStream('never', chunksOf(pattern(2 * PART), PART + 1, failure))).rejects.toBe(failure)
    await expect(store.head('never')).rejects.toBeInstanceOf(ObjectNotFoundError)
  })

  it('retries a throttled part, and aborts with a StorageError when a part keeps failing', async () => {
    const body = pattern(PART + 10, 5)
    proxy.faults = ['pass', 'slow-down']
    sent.length = 0
    const retriesBefore = store.retries
    await store.putStream('retried', chunksOf(body))
    expect(store.retries - retriesBefore).toBe(1)
    expect(sent).toEqual(['CreateMultipartUpload', 'UploadPart', 'UploadPart', 'UploadPart', 'CompleteMultipartUpload'])
    expect(Buffer.from(await store.get('retried')).equals(Buffer.from(body))).toBe(true)

    proxy.faults = ['pass', 'internal-error', 'internal-error', 'internal-error']
    sent.length = 0
    const error = await store.putStream('failed-part', chunksOf(body)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StorageError)
    expect((error as Error).message).toContain('upload part 1')
    expect(sent.at(-1)).toBe('AbortMultipartUpload')
    await expect(store.head('failed-part')).rejects.toBeInstanceOf(ObjectNotFoundError)
  })
})
