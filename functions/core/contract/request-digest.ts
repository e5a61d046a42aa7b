import { createHash } from 'node:crypto'
import type { BatchRequest } from './types.js'

// Bump when the normalised form changes, so old manifests never match a new request by accident.
const DIGEST_VERSION = 1

/**
 * A digest of everything that decides a batch's answer: tenant, IDs with their windows, the request
 * window and the size limit. The request is already normalised (IDs folded, sorted, windows of 0
 * dropped), so two requests that must give the same result give the same digest. The request ID
 * itself is left out: it names the result, it does not shape it.
 */
export function requestDigest(request: BatchRequest): string {
  const canonical = {
    v: DIGEST_VERSION,
    tenant: request.tenant,
    start: request.start ?? null,
    end: request.end ?? null,
    maxBytesPerTrace: request.maxBytesPerTrace,
    traces: request.traces.map((t) => [t.traceId, t.start ?? null, t.end ?? null]),
  }
  return 'sha256:' + createHash('sha256').update(JSON.stringify(canonical)).digest('hex')
}
