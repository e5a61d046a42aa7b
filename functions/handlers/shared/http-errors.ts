import type { APIGatewayProxyResult } from 'aws-lambda'
import { batchApiErrorAnswer, batchApiStatus } from '../../core/contract/batch-api-errors.js'

/** The HTTP status an error maps to at the API edge (the batch API's one table). */
export const httpStatusOf = batchApiStatus

/** A JSON API Gateway response. */
export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }
}

/**
 * The response for an error: the message for the caller's own mistakes, a generic text otherwise
 * (details go to the log, never a stack trace to the caller).
 */
export function errorResponse(error: unknown, requestId: string): APIGatewayProxyResult {
  const answer = batchApiErrorAnswer(error, { requestId, exposeInternal: false })
  return jsonResponse(answer.status, answer.body, answer.headers)
}
