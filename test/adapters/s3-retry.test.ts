import { describe, expect, it } from 'vitest'
import { backoffDelayMs, isRetryableError, withRetries } from '../../functions/adapters/s3-retry.js'

function sdkError(name: string, status?: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } })
}

describe('isRetryableError', () => {
  it('retries throttling, 5xx, 429 and network failures', () => {
    expect(isRetryableError(sdkError('SlowDown', 503))).toBe(true)
    expect(isRetryableError(sdkError('Unknown', 500))).toBe(true)
    expect(isRetryableError(sdkError('Whatever', 429))).toBe(true)
    expect(isRetryableError(sdkError('ThrottlingException'))).toBe(true)
    expect(isRetryableError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true)
    expect(isRetryableError(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ETIMEDOUT' }) }))).toBe(true)
  })

  it('does not retry client errors, missing objects or aborts', () => {
    expect(isRetryableError(sdkError('NoSuchKey', 404))).toBe(false)
    expect(isRetryableError(sdkError('AccessDenied', 403))).toBe(false)
    expect(isRetryableError(sdkError('InvalidRange', 416))).toBe(false)
    expect(isRetryableError(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBe(false)
    expect(isRetryableError('ECONNRESET')).toBe(false)
  })
})

describe('backoff', () => {
  it('doubles the ceiling per retry up to the cap, with full jitter', () => {
    const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 }
    expect(backoffDelayMs(0, policy, () => 0.999)).toBe(99)
    expect(backoffDelayMs(2, policy, () => 0.999)).toBe(399)
    expect(backoffDelayMs(6, policy, () => 0.999)).toBe(999)
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0)
  })

  it('withRetries stops at maxAttempts and rethrows the last error', async () => {
    let calls = 0
    const error = await withRetries(
      async () => {
        calls++
        throw sdkError('SlowDown', 503)
      },
      { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    ).catch((e: unknown) => e)
    expect(calls).toBe(3)
    expect((error as Error).name).toBe('SlowDown')
  })

  it('withRetries returns the first success and reports each retry', async () => {
    const retries: number[] = []
    let calls = 0
    const value = await withRetries(
      async (attempt) => {
        calls++
        if (attempt < 3) throw sdkError('InternalError', 500)
        return 'ok'
      },
      { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 2 },
      (_error, attempt) => retries.push(attempt),
    )
    expect(value).toBe('ok')
    expect(calls).toBe(3)
    expect(retries).toEqual([1, 2])
  })
})
