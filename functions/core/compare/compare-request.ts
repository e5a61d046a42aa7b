import { randomUUID } from 'node:crypto'
import { InvalidRequestError } from '../contract/errors.js'
import { parseBatchRequest, refuseUnknownFields, validateRequestId, type ParseRequestOptions } from '../contract/request.js'
import type { BatchRequest } from '../contract/types.js'

/**
 * A comparison request (`POST /v1/compare`): one tenant, two groups of trace IDs, an optional shared
 * window, labels and false-discovery rate. Each group becomes a batch request of its own
 * (`<requestId>-a`, `<requestId>-b`), so a repeated comparison reuses both fetched results.
 */

const COMPARE_FIELDS = new Set(['tenant', 'groupA', 'groupB', 'start', 'end', 'requestId', 'labelA', 'labelB', 'fdr'])

/** A validated comparison request. */
export interface CompareRequest {
  a: BatchRequest
  b: BatchRequest
  labels: { a: string; b: string }
  fdr?: number
}

/** Validate `input`; errors name the field (`groupA.traceIds[3]`, `fdr`, ...). */
export function parseCompareRequest(input: unknown, options: ParseRequestOptions = {}): CompareRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new InvalidRequestError('body', 'must be a JSON object')
  const body = input as Record<string, unknown>
  // As for batch requests: an unknown field (a typo, a prototype key) is refused, never ignored.
  refuseUnknownFields(body, COMPARE_FIELDS, '')
  const requestId = validateRequestId(body.requestId ?? randomUUID())
  const group = (field: 'groupA' | 'groupB', suffix: string): BatchRequest => {
    if (!Array.isArray(body[field])) throw new InvalidRequestError(field, 'must be an array of trace IDs')
    try {
      return parseBatchRequest({ tenant: body.tenant, traceIds: body[field], start: body.start, end: body.end, requestId: `${requestId}-${suffix}` }, options)
    } catch (error) {
      // The batch parser names its own fields; say which group they belong to.
      if (error instanceof InvalidRequestError && error.field.startsWith('traceIds')) throw new InvalidRequestError(error.field.replace('traceIds', field), error.problem)
      throw error
    }
  }
  const request: CompareRequest = { a: group('groupA', 'a'), b: group('groupB', 'b'), labels: { a: label(body.labelA, 'labelA', 'A'), b: label(body.labelB, 'labelB', 'B') } }
  if (body.fdr !== undefined) {
    if (typeof body.fdr !== 'number' || !(body.fdr > 0 && body.fdr < 1)) throw new InvalidRequestError('fdr', 'must be a number between 0 and 1 (exclusive)')
    request.fdr = body.fdr
  }
  return request
}

function label(value: unknown, field: string, fallback: string): string {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || value.length === 0 || value.length > 80) throw new InvalidRequestError(field, 'must be a string of 1-80 characters')
  return value
}
