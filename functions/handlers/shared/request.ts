import { parseBatchRequest } from '../../core/contract/request.js'
import type { BatchRequest } from '../../core/contract/types.js'
import { InvalidRequestError } from '../../core/contract/errors.js'
import type { CoordinatorConfig } from '../../config/read-config.js'

/** The request is valid but bigger than this deployment accepts (HTTP 413). */
export class RequestTooLargeError extends InvalidRequestError {}

/** The tenant is valid but not one this deployment serves (HTTP 403). */
export class TenantNotAllowedError extends InvalidRequestError {
  constructor(tenant: string) {
    super('tenant', `${JSON.stringify(tenant.slice(0, 80))} is not served by this deployment`)
  }
}

/**
 * Validate a request against the core's schema and this deployment's limits: the distinct-ID limit is
 * checked here (not in the core) so that it can be told apart as "too large", and the tenant must be allowed.
 */
export function parseDeploymentRequest(input: unknown, config: CoordinatorConfig, defaultRequestId?: string): BatchRequest {
  const request = parseBatchRequest(input, {
    ...(defaultRequestId !== undefined ? { defaultRequestId } : {}),
    limits: { maxIds: Number.MAX_SAFE_INTEGER },
    tenantMaxBytesPerTrace: config.tenantMaxBytesPerTrace,
  })
  const maxIds = config.maxIds ?? 10_000
  if (request.traces.length > maxIds) throw new RequestTooLargeError('traceIds', `has ${request.traces.length} distinct IDs, more than the limit of ${maxIds}`)
  if (config.allowedTenants.length > 0 && !config.allowedTenants.includes(request.tenant)) throw new TenantNotAllowedError(request.tenant)
  return request
}

/** Parse a JSON text as the request body; bad JSON is an `InvalidRequestError` on `body`. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new InvalidRequestError('body', `is not valid JSON (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`)
  }
}
