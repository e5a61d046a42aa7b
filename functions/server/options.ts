import type { CoordinatorDeps } from '../core/batch/coordinator.js'
import type { BatchApiLimits } from '../core/contract/batch-api.js'
import type { AdmissionLimits } from './admission.js'
import type { TraceLookupDeps } from './trace-lookup.js'

/** Options of the local server. */
export interface ServerOptions {
  /** The batch path (`POST /v1/batch`): usually the embedded runtime's coordinator deps. */
  batch: CoordinatorDeps
  /** The single-trace path (`GET /api/traces/{id}`, `/api/v2/traces/{id}`, `/external/...`). */
  lookup: TraceLookupDeps
  host?: string
  port?: number
  /** `POST /v1/batch` limits (body bytes, distinct IDs, inline result bytes); defaults as the deployed API's. */
  limits?: Partial<BatchApiLimits>
  /** Batches and IDs in flight before new ones get 429 with Retry-After (see `ADMISSION_DEFAULTS`). */
  admission?: AdmissionLimits
  /**
   * How long the querier-facing `/external` path may take before it answers 504 (default 9,000 ms:
   * inside Tempo's default `querier.trace_by_id.external.timeout` of 10 s, so Tempo gets our answer
   * rather than its own timeout).
   */
  externalTimeoutMs?: number
}
