import { parseJsonText, parseLimitedRequest } from '../../core/contract/batch-api.js'
import type { BatchRequest } from '../../core/contract/types.js'
import type { CoordinatorConfig } from '../../config/read-config.js'

export { RequestTooLargeError, TenantNotAllowedError } from '../../core/contract/errors.js'

/**
 * Validate a request against the core's schema and this deployment's limits (the distinct-ID limit as
 * "too large", the tenant allow-list): the rules of the batch API contract, shared with the local server.
 */
export function parseDeploymentRequest(input: unknown, config: CoordinatorConfig, defaultRequestId?: string): BatchRequest {
  return parseLimitedRequest(input, { maxIds: config.maxIds ?? 10_000, allowedTenants: config.allowedTenants, tenantMaxBytesPerTrace: config.tenantMaxBytesPerTrace }, defaultRequestId)
}

/** Parse a JSON text as the request body; bad JSON is an `InvalidRequestError` on `body`. */
export function parseJsonBody(text: string): unknown {
  return parseJsonText(text)
}
