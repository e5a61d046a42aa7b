import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { S3Store } from '../../functions/adapters/s3-store.js'
import { isRetryableError } from '../../functions/adapters/s3-retry.js'
import { runBatch } from '../../functions/core/batch/coordinator.js'
import { InProcessInvoker } from '../../functions/core/batch/in-process-invoker.js'
import { StorageError } from '../../functions/core/contract/errors.js'
import { parseBatchRequest } from '../../functions/core/contract/request.js'
import type { ResultLine } from '../../functions/core/contract/types.js'
import { readResultLines } from '../../functions/core/results/result-lines.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { generateTenant } from '../../functions/generator/generate-tenant.js'
import { startFauxqs, type FauxqsHandle } from '../support/fauxqs.js'
import { startFaultyProxy, type FaultyProxy } from './faulty-proxy.js'

// Without a working timeout these tests would wait for ever; fail them in seconds instead of a minute.
const STALL_TEST_TIMEOUT_MS = 20_000
const TIMEOUT_MS = 300

let fauxqs: FauxqsHandle
let proxy: FaultyProxy
const bucket = 'stalls'

beforeAll(async () => {
  fauxqs = await startFauxqs()
  await fauxqs.createBucket(bucket)
  proxy = await startFaultyProxy(fauxqs.endpoint)
})
afterAll(async () => {
  await proxy?.stop()
  await fauxqs?.stop()
})

/** A store through the proxy with a short timeout and two attempts per call. */
function stalledStore(prefix = ''): S3Store {
  return S3Store.fromUrl(`s3://${bucket}/${prefix}`, {
    endpoint: proxy.endpoint,
    region: fauxqs.region,
    credentials: fauxqs.credentials,
    requestTimeoutMs: TIMEOUT_MS,
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    multipartPartBytes: 1024,
  })
}

describe('S3Store against a server that accepts and never answers', () => {
  it('a GET fails with a retryable timeout after its attempts, not when the Lambda dies', { timeout: STALL_TEST_TIMEOUT_MS }, async () => {
    await fauxqs.openStore(bucket).put('obj', Uint8Array.of(1, 2, 3))
    proxy.seen.length = 0
    proxy.faults = ['stall', 'stall']
    const store = stalledStore()
    const error = await store.get('obj').catch((e: unknown) => e)
    store.client.destroy()
    expect(error).toBeInstanceOf(StorageError)
    expect((error as Error).message).toMatch(/^storage: s3 get failed: TimeoutError: .*300 ms/)
    const cause = (error as Error).cause
    expect(isRetryableError(cause)).toBe(true)
    expect(proxy.seen.map((s) => s.fault)).toEqual(['stall', 'stall'])
    expect(store.retries).toBe(1)
  })

  it('a stalled UploadPart fails the streamed write the same way', { timeout: STALL_TEST_TIMEOUT_MS }, async () => {
    proxy.stallWhen = (method, url) => method === 'PUT' && url.includes('partNumber=')
    const store = stalledStore()
    try {
      const body = (async function* () {
        yield new Uint8Array(3000)
      })()
      const error = await store.putStream('big', body).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StorageError)
      expect((error as Error).message).toMatch(/upload part 1 failed: TimeoutError/)
    } finally {
      proxy.stallWhen = undefined
      store.client.destroy()
    }
  })

  it('a block whose data.parquet stalls ends partial, with the timeout as the reason', { timeout: STALL_TEST_TIMEOUT_MS * 2 }, async () => {
    const tenant = await generateTenant(fauxqs.openStore(bucket, 'tempo'), { tenant: 'stall', seed: 3, blocks: 2, tracesPerBlock: 20, rowGroupBytes: 1_000_000 })
    proxy.stallWhen = (method, url) => method === 'GET' && url.includes('/data.parquet')
    const tempoStore = stalledStore('tempo')
    const layout = new TempoLayout()
    const resultStore = new MemoryStore()
    const ids = tenant.traceIds.slice(0, 3)
    try {
      const { manifest } = await runBatch(parseBatchRequest({ tenant: 'stall', traceIds: ids, requestId: 'stalled' }), {
        tempoStore, layout, resultStore, resultsPrefix: 'results',
        invoker: new InProcessInvoker({ tempoStore, layout, resultStore }),
      })
      expect(manifest.status).toBe('partial')
      const lines: ResultLine[] = []
      for await (const line of readResultLines(resultStore, manifest.resultKey)) lines.push(line)
      expect(lines.map((l) => l.status)).toEqual(['partial', 'partial', 'partial'])
      for (const line of lines) expect(line.message).toMatch(/TimeoutError: .*300 ms/)
    } finally {
      proxy.stallWhen = undefined
      tempoStore.client.destroy()
    }
  })
})
