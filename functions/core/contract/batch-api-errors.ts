import { InvalidRequestError, RequestConflictError, RequestTooLargeError, ServerBusyError, TenantNotAllowedError, UnsupportedMediaTypeError, describeError } from './errors.js'

/**
 * The one status table of `POST /v1/batch` (local server and deployed API): 400 bad input (the field is
 * named), 403 tenant not served, 409 request ID used for another request, 413 body or ID count over the
 * limit, 415 not JSON, 429 busy or throttled (with Retry-After), 500 anything else.
 */

// Error names AWS services and our adapters use for "slow down"; they may sit anywhere in the cause chain.
const THROTTLING_NAMES = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'SlowDown', 'RequestLimitExceeded', 'ProvisionedThroughputExceededException'])

/** True when `error` or one of its causes is throttling by a service behind us. */
export function isThrottling(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth++) {
    if (THROTTLING_NAMES.has(current.name)) return true
    const details = (current as { details?: { errorType?: string } }).details
    if (details?.errorType !== undefined && THROTTLING_NAMES.has(details.errorType)) return true
    if ((current as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 429) return true
  }
  return false
}

/** The HTTP status an error maps to at the batch API. */
export function batchApiStatus(error: unknown): number {
  if (error instanceof RequestTooLargeError) return 413
  if (error instanceof UnsupportedMediaTypeError) return 415
  if (error instanceof TenantNotAllowedError) return 403
  if (error instanceof RequestConflictError) return 409
  if (error instanceof InvalidRequestError) return 400
  if (error instanceof ServerBusyError || isThrottling(error)) return 429
  return 500
}

/** An error as the batch API answers it. */
export interface BatchApiErrorAnswer {
  status: number
  body: { error: string; field?: string; requestId?: string }
  headers: Record<string, string>
}

/** Seconds a throttled caller is asked to wait when the error does not say. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5

/**
 * The answer for an error: the caller's own mistakes with their message and field; 429 with Retry-After;
 * anything else a 500 whose text is the error's one line only where `exposeInternal` (a local server,
 * whose caller owns the machine), else a generic text (details go to the logs). Never a stack trace.
 */
export function batchApiErrorAnswer(error: unknown, options: { requestId?: string; exposeInternal: boolean }): BatchApiErrorAnswer {
  const status = batchApiStatus(error)
  const requestId = options.requestId !== undefined ? { requestId: options.requestId } : {}
  if (error instanceof InvalidRequestError) return { status, body: { error: describeError(error), field: error.field, ...requestId }, headers: {} }
  if (status === 429) {
    const seconds = error instanceof ServerBusyError ? error.retryAfterSeconds : DEFAULT_RETRY_AFTER_SECONDS
    const text = error instanceof ServerBusyError ? describeError(error) : 'throttled: too many requests in flight, retry later'
    return { status, body: { error: text, ...requestId }, headers: { 'retry-after': String(seconds) } }
  }
  const text = options.exposeInternal ? `internal error: ${describeError(error)}` : 'internal error: the batch failed; see the logs for this request ID'
  return { status: 500, body: { error: text, ...requestId }, headers: {} }
}
