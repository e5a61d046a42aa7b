import { describeValue } from './describe-value.js'
import { InvalidRequestError, RequestTooLargeError, TenantNotAllowedError, UnsupportedMediaTypeError } from './errors.js'
import { parseBatchRequest } from './request.js'
import type { BatchRequest } from './types.js'

/**
 * The `POST /v1/batch` contract, one for the local server and the deployed API (and the request limits
 * SQS and Step Functions share): how a body becomes a request, which limits apply, and which status each
 * refusal gets. Both entry points call these functions, so they cannot drift apart.
 */

/** Limits of an entry point. */
export interface BatchApiLimits {
  /** Largest request body in bytes (HTTP entry points). */
  maxBodyBytes: number
  /** Most distinct trace IDs in one request. */
  maxIds: number
  /** Results whose NDJSON is at most this many bytes are returned inline. */
  inlineResultMaxBytes: number
  /** Tenants served; empty or absent: any tenant. */
  allowedTenants?: readonly string[]
  /** Per-tenant `max_bytes_per_trace`, as Tempo's overrides. */
  tenantMaxBytesPerTrace?: Record<string, number>
}

/** The defaults of both HTTP entry points (the deployed construct sets the same values explicitly). */
export const BATCH_API_DEFAULTS = { maxBodyBytes: 1_048_576, maxIds: 10_000, inlineResultMaxBytes: 1_000_000 } as const

/** Validate a request object against the core's rules and the entry point's limits (413 too many IDs, 403 tenant). */
export function parseLimitedRequest(input: unknown, limits: Pick<BatchApiLimits, 'maxIds' | 'allowedTenants' | 'tenantMaxBytesPerTrace'>, defaultRequestId?: string): BatchRequest {
  const request = parseBatchRequest(input, {
    ...(defaultRequestId !== undefined ? { defaultRequestId } : {}),
    // Counted here instead, so that "too many" is told apart from "malformed".
    limits: { maxIds: Number.MAX_SAFE_INTEGER },
    ...(limits.tenantMaxBytesPerTrace ? { tenantMaxBytesPerTrace: limits.tenantMaxBytesPerTrace } : {}),
  })
  if (request.traces.length > limits.maxIds) throw new RequestTooLargeError('traceIds', `has ${request.traces.length} distinct IDs, more than the limit of ${limits.maxIds}`)
  const allowed = limits.allowedTenants ?? []
  if (allowed.length > 0 && !allowed.includes(request.tenant)) throw new TenantNotAllowedError(request.tenant)
  return request
}

/** An HTTP request to `POST /v1/batch`, as either entry point receives it. */
export interface BatchHttpRequest {
  /** The raw body (absent or empty: refused). */
  body: Uint8Array | undefined
  /** `Content-Type` header, if any. */
  contentType?: string
  /** `X-Scope-OrgID` header, if any (Tempo's tenant header). */
  headerTenant?: string
}

/**
 * Turn an HTTP request into a batch request: body size, content type, strict UTF-8 and JSON, then the
 * tenant (from the body or Tempo's `X-Scope-OrgID`; both given and different is refused), then the limits.
 */
export function parseHttpBatchRequest(http: BatchHttpRequest, limits: Omit<BatchApiLimits, 'inlineResultMaxBytes'>, defaultRequestId?: string): BatchRequest {
  const body = readJsonBody(http.body, http.contentType, limits.maxBodyBytes)
  return parseLimitedRequest(withHeaderTenant(body, http.headerTenant), limits, defaultRequestId)
}

/** The body as a JSON value: 413 over `maxBytes`, 415 for a non-JSON content type, 400 for bad UTF-8 or JSON. */
export function readJsonBody(body: Uint8Array | undefined, contentType: string | undefined, maxBytes: number): unknown {
  if (body === undefined || body.length === 0) throw new InvalidRequestError('body', 'is required (a JSON batch request)')
  if (body.length > maxBytes) throw new RequestTooLargeError('body', `is ${body.length} bytes, more than the limit of ${maxBytes}`)
  if (contentType !== undefined && contentType.trim() !== '' && !isJsonContentType(contentType)) throw new UnsupportedMediaTypeError(contentType)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch {
    throw new InvalidRequestError('body', 'is not valid UTF-8')
  }
  return parseJsonText(text)
}

/** Parse JSON text as a request body; a syntax error is a 400 on `body` naming where it failed. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const where = error instanceof Error ? (/position \d+/.exec(error.message)?.[0] ?? '') : ''
    throw new InvalidRequestError('body', `is not valid JSON${where ? ` (at ${where})` : ''}`)
  }
}

/**
 * A content type the body is read as JSON under: `application/json`, a `+json` type, or `text/plain`
 * (what `fetch` and simple clients send for a string body), any parameters. Form data, XML, binary and
 * the rest name another format and are refused (415) rather than guessed at.
 */
export function isJsonContentType(contentType: string): boolean {
  const type = contentType.split(';')[0]!.trim().toLowerCase()
  return type === 'application/json' || type === 'text/plain' || /^application\/[a-z0-9.+-]+\+json$/.test(type)
}

/** The body with Tempo's `X-Scope-OrgID` as its tenant when it names none; a body tenant that disagrees is refused. */
export function withHeaderTenant(body: unknown, headerTenant: string | undefined): unknown {
  if (headerTenant === undefined || typeof body !== 'object' || body === null || Array.isArray(body)) return body
  const record = body as Record<string, unknown>
  if (!Object.hasOwn(record, 'tenant')) return { ...record, tenant: headerTenant }
  if (record.tenant !== headerTenant) {
    throw new InvalidRequestError('tenant', `the body's tenant ${describeValue(record.tenant)} disagrees with X-Scope-OrgID ${describeValue(headerTenant)}`)
  }
  return body
}
