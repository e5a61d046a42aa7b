import type { APIGatewayProxyResult } from 'aws-lambda'
import { InvalidRequestError, RequestConflictError, describeError } from '../../core/contract/errors.js'
import { RequestTooLargeError, TenantNotAllowedError } from './request.js'

// Error names AWS services and our adapters use for "slow down"; they may sit anywhere in the cause chain.
const THROTTLING_NAMES = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'SlowDown', 'RequestLimitExceeded', 'ProvisionedThroughputExceededException'])

function isThrottling(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth++) {
    if (THROTTLING_NAMES.has(current.name)) return true
    const details = (current as { details?: { errorType?: string } }).details
    if (details?.errorType !== undefined && THROTTLING_NAMES.has(details.errorType)) return true
    if ((current as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 429) return true
  }
  return false
}

/** The HTTP status an error maps to at the API edge. */
export function httpStatusOf(error: unknown): number {
  if (error instanceof RequestTooLargeError) return 413
  if (error instanceof TenantNotAllowedError) return 403
  if (error instanceof RequestConflictError) return 409
  if (error instanceof InvalidRequestError) return 400
  if (isThrottling(error)) return 429
  return 500
}

/** A JSON API Gateway response. */
export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }
}

/**
 * The response for an error: the message for the caller's own mistakes, a generic text otherwise
 * (details go to the log, never a stack trace to the caller).
 */
export function errorResponse(error: unknown, requestId: string): APIGatewayProxyResult {
  const status = httpStatusOf(error)
  if (error instanceof InvalidRequestError) return jsonResponse(status, { error: describeError(error), field: error.field, requestId })
  if (status === 429) return jsonResponse(429, { error: 'throttled: too many requests in flight, retry later', requestId }, { 'retry-after': '5' })
  return jsonResponse(500, { error: 'internal error: the batch failed; see the logs for this request ID', requestId })
}
