/**
 * Retries for S3 calls. We retry ourselves (the SDK client runs with `maxAttempts: 1`) because the
 * SDK's own retries end when the response headers arrive: a connection reset while a GetObject body
 * streams would otherwise surface as a failure. One policy covers the request and its body.
 */

/** How often and how patiently to retry. */
export interface RetryPolicy {
  /** Total attempts including the first (default 5). */
  maxAttempts: number
  /** First backoff ceiling in milliseconds; doubles per attempt (default 100). */
  baseDelayMs: number
  /** Upper bound of one backoff (default 5000). */
  maxDelayMs: number
}

/** Defaults: 5 attempts, 100 ms doubling up to 5 s, full jitter (about 1.5 s expected worst case). */
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5000 }

// S3 error codes meaning "slow down / try again", whatever the HTTP status says.
const RETRYABLE_CODES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
])

// Node and undici socket failures: the request may never have reached S3, or its answer was cut off.
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
])

interface SdkLikeError {
  name?: string
  code?: string
  Code?: string
  $retryable?: unknown
  $metadata?: { httpStatusCode?: number }
  cause?: unknown
}

/** HTTP status of an SDK error, if it carries one. */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  return (error as SdkLikeError).$metadata?.httpStatusCode
}

/** True when `error` is throttling, a 5xx, a timeout or a network failure (worth another attempt). */
export function isRetryableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const e = error as SdkLikeError
  if (e.$retryable) return true
  const status = e.$metadata?.httpStatusCode
  if (status !== undefined && (status === 429 || status >= 500)) return true
  for (const code of [e.name, e.code, e.Code]) {
    if (code !== undefined && (RETRYABLE_CODES.has(code) || NETWORK_CODES.has(code))) return true
  }
  if (e.name === 'AbortError') return false
  return e.cause !== undefined && e.cause !== error && isRetryableError(e.cause)
}

/** Full-jitter exponential backoff: uniform in [0, min(max, base * 2^retry)). */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry)
  return Math.floor(random() * ceiling)
}

/**
 * Run `operation` until it succeeds, fails with a non-retryable error, or `maxAttempts` is used up;
 * the last error is rethrown as is (the caller maps it to a typed error).
 */
export async function withRetries<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy = defaultRetryPolicy,
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt)
    } catch (error) {
      if (attempt >= policy.maxAttempts || !isRetryableError(error)) throw error
      const delayMs = backoffDelayMs(attempt - 1, policy)
      onRetry?.(error, attempt, delayMs)
      await new Promise((resolve) => setTimeout(resolve, delayMs))
    }
  }
}
