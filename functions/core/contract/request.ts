import { randomUUID } from 'node:crypto'
import { describeValue } from './describe-value.js'
import { InvalidRequestError } from './errors.js'
import { validateTenant } from '../storage/layout.js'
import { parseTraceId, traceIdToHex } from './trace-id.js'
import type { BatchRequest, RequestedTrace } from './types.js'

/** Request limits; defaults follow Tempo (max_bytes_per_trace 5,000,000) and our fan-out budget. */
export interface RequestLimits {
  maxIds: number
  maxBytesPerTrace: number
}

/** Default limits. */
export const DEFAULT_LIMITS: RequestLimits = { maxIds: 10_000, maxBytesPerTrace: 5_000_000 }

/** Options of `parseBatchRequest`. */
export interface ParseRequestOptions {
  defaultRequestId?: string
  limits?: Partial<RequestLimits>
  /** Per-tenant `max_bytes_per_trace` overrides, as Tempo's overrides file. */
  tenantMaxBytesPerTrace?: Record<string, number>
}

const REQUEST_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/
const REQUEST_FIELDS = new Set(['tenant', 'traceIds', 'traces', 'start', 'end', 'requestId', 'maxBytesPerTrace'])
const TRACE_FIELDS = new Set(['id', 'traceId', 'start', 'end'])

// Unknown fields are refused, not ignored: a misspelled `strat` would otherwise silently widen the
// window. Prototype keys (`__proto__`, `constructor`) are unknown fields like any other.
/** Throw `InvalidRequestError` naming the first key of `record` not in `known` (prefixed with `where`). */
export function refuseUnknownFields(record: Record<string, unknown>, known: ReadonlySet<string>, where: string): void {
  for (const key of Object.keys(record)) {
    if (known.has(key)) continue
    const name = key.length > 40 ? `${key.slice(0, 40)}...` : key
    throw new InvalidRequestError(where === '' ? name : `${where}.${name}`, `is not a field here (fields: ${[...known].join(', ')})`)
  }
}

/** Throw `InvalidRequestError` unless `id` is safe as one key segment (letters, digits, `._-`, max 128). */
export function validateRequestId(id: unknown): string {
  if (typeof id !== 'string' || !REQUEST_ID.test(id)) {
    throw new InvalidRequestError('requestId', `${describeValue(id)} must be 1-128 characters of A-Z a-z 0-9 . _ - not starting with a dot`)
  }
  return id
}

/**
 * Validate and normalise a batch request (see the README's request contract). IDs are parsed with
 * Tempo's rules, duplicates folded (a repeated ID keeps the widest of its windows; no window wins),
 * and the result is sorted by ID. Throws `InvalidRequestError(field, problem)`.
 */
export function parseBatchRequest(input: unknown, options: ParseRequestOptions = {}): BatchRequest {
  const limits = { ...DEFAULT_LIMITS, ...options.limits }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new InvalidRequestError('body', 'must be a JSON object')
  const body = input as Record<string, unknown>
  refuseUnknownFields(body, REQUEST_FIELDS, '')
  const tenant = validateTenant(body.tenant)
  const start = optionalSeconds(body.start, 'start')
  const end = optionalSeconds(body.end, 'end')
  checkWindow(start, end, 'start')

  const raw = readRawTraces(body)
  const byId = new Map<string, RequestedTrace>()
  raw.forEach((entry, index) => {
    const traced = normaliseEntry(entry, index, body.traces !== undefined ? 'traces' : 'traceIds')
    const previous = byId.get(traced.traceId)
    byId.set(traced.traceId, previous ? widest(previous, traced) : traced)
  })
  if (byId.size === 0) throw new InvalidRequestError(body.traces !== undefined ? 'traces' : 'traceIds', 'is empty')
  if (byId.size > limits.maxIds) throw new InvalidRequestError('traceIds', `has ${byId.size} distinct IDs, more than the limit of ${limits.maxIds}`)

  const requestId = validateRequestId(body.requestId ?? options.defaultRequestId ?? randomUUID())
  // Own keys only: a tenant may be called `constructor` or `__proto__` (Tempo allows both).
  const perTenant = options.tenantMaxBytesPerTrace
  const tenantLimit = perTenant !== undefined && Object.hasOwn(perTenant, tenant) ? perTenant[tenant] : undefined
  const maxBytesPerTrace = body.maxBytesPerTrace !== undefined ? nonNegativeInteger(body.maxBytesPerTrace, 'maxBytesPerTrace') : (tenantLimit ?? limits.maxBytesPerTrace)

  const traces = [...byId.values()].sort((a, b) => (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0))
  const request: BatchRequest = { tenant, traces, requestId, maxBytesPerTrace }
  if (start !== undefined) request.start = start
  if (end !== undefined) request.end = end
  return request
}

/**
 * A parsed request as the JSON body `parseBatchRequest` reads back to the same request (IDs normalised,
 * request ID and size limit explicit): what a coordinator hands to another entry point to finish it.
 */
export function requestToJson(request: BatchRequest): Record<string, unknown> {
  const windowed = request.traces.some((t) => t.start !== undefined || t.end !== undefined)
  return {
    tenant: request.tenant,
    ...(windowed ? { traces: request.traces.map(({ traceId, ...window }) => ({ id: traceId, ...window })) } : { traceIds: request.traces.map((t) => t.traceId) }),
    ...(request.start !== undefined ? { start: request.start } : {}),
    ...(request.end !== undefined ? { end: request.end } : {}),
    requestId: request.requestId,
    maxBytesPerTrace: request.maxBytesPerTrace,
  }
}

function readRawTraces(body: Record<string, unknown>): unknown[] {
  if (body.traceIds !== undefined && body.traces !== undefined) throw new InvalidRequestError('traceIds', 'give either traceIds or traces, not both')
  const list = body.traces ?? body.traceIds
  if (list === undefined) throw new InvalidRequestError('traceIds', 'is required (or traces)')
  const field = body.traces !== undefined ? 'traces' : 'traceIds'
  if (!Array.isArray(list)) throw new InvalidRequestError(field, 'must be an array')
  return list
}

function normaliseEntry(entry: unknown, index: number, field: string): RequestedTrace {
  const where = `${field}[${index}]`
  if (typeof entry === 'string') return { traceId: traceIdToHex(parseTraceId(entry, where)) }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new InvalidRequestError(where, 'must be a hex string or { id, start?, end? }')
  const item = entry as Record<string, unknown>
  refuseUnknownFields(item, TRACE_FIELDS, where)
  const hex = item.id ?? item.traceId
  if (typeof hex !== 'string') throw new InvalidRequestError(`${where}.id`, 'must be a hex string')
  const traced: RequestedTrace = { traceId: traceIdToHex(parseTraceId(hex, `${where}.id`)) }
  const start = optionalSeconds(item.start, `${where}.start`)
  const end = optionalSeconds(item.end, `${where}.end`)
  checkWindow(start, end, `${where}.start`)
  if (start !== undefined) traced.start = start
  if (end !== undefined) traced.end = end
  return traced
}

// A window only filters when both ends are given (Tempo's rule), so "no window" is the widest.
function widest(a: RequestedTrace, b: RequestedTrace): RequestedTrace {
  if (!hasWindow(a) || !hasWindow(b)) return { traceId: a.traceId }
  return { traceId: a.traceId, start: Math.min(a.start!, b.start!), end: Math.max(a.end!, b.end!) }
}

/** True when both `start` and `end` are set (only then does a window filter blocks). */
export function hasWindow(w: { start?: number; end?: number }): boolean {
  return w.start !== undefined && w.end !== undefined
}

function checkWindow(start: number | undefined, end: number | undefined, field: string): void {
  if (start !== undefined && end !== undefined && end <= start) throw new InvalidRequestError(field, `end (${end}) must be greater than start (${start})`)
}

// Tempo treats 0 as "not sent".
function optionalSeconds(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined
  const seconds = nonNegativeInteger(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value, field)
  return seconds === 0 ? undefined : seconds
}

function nonNegativeInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new InvalidRequestError(field, `${describeValue(value)} must be a non-negative integer`)
  return value
}
