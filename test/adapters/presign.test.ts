import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_PRESIGN_EXPIRY_SECONDS, presignGetUrl } from '../../functions/adapters/presign.js'
import type { S3Store } from '../../functions/adapters/s3-store.js'
import { InvalidRequestError } from '../../functions/core/contract/errors.js'
import { startFauxqs, type FauxqsHandle } from '../support/fauxqs.js'

describe('presignGetUrl', () => {
  let fauxqs: FauxqsHandle
  let store: S3Store
  const body = new TextEncoder().encode('{"traceId":"00000000000000000000000000000001","status":"not_found"}\n')

  beforeAll(async () => {
    fauxqs = await startFauxqs()
    await fauxqs.createBucket('results')
    store = fauxqs.openStore('results', 'tempo-batch/results')
    await store.put('req-1/result.ndjson', body, { contentType: 'application/x-ndjson' })
  })
  afterAll(async () => {
    await fauxqs?.stop()
  })

  it('signs a short-lived GET for the prefixed key that downloads the object', async () => {
    const url = new URL(await presignGetUrl(store, 'req-1/result.ndjson'))
    expect(url.origin).toBe(fauxqs.endpoint)
    expect(url.pathname).toBe('/results/tempo-batch/results/req-1/result.ndjson')
    expect(url.searchParams.get('X-Amz-Expires')).toBe(String(DEFAULT_PRESIGN_EXPIRY_SECONDS))
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256')
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/)
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^test\/\d{8}\/us-east-1\/s3\/aws4_request$/)
    // A plain HTTP client, no SDK and no credentials: what an API caller does with the URL.
    const response = await fetch(url)
    expect(response.status).toBe(200)
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(body)
  })

  it('takes a custom expiry and response headers', async () => {
    const url = new URL(
      await presignGetUrl(store, 'req-1/result.ndjson', { expiresInSeconds: 60, responseContentDisposition: 'attachment; filename="result.ndjson"' }),
    )
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60')
    expect(url.searchParams.get('response-content-disposition')).toBe('attachment; filename="result.ndjson"')
  })

  it('rejects expiries outside 1 s .. 7 days', async () => {
    await expect(presignGetUrl(store, 'x', { expiresInSeconds: 0 })).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(presignGetUrl(store, 'x', { expiresInSeconds: 8 * 24 * 3600 })).rejects.toThrow(/expiresInSeconds/)
  })
})
