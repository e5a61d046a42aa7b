import { describeValue } from './describe-value.js'

/**
 * Typed errors of the core. Names end in `Error`; messages are lowercase, name the subsystem and,
 * where there is one, the tenant and block. Adapters translate SDK errors into these.
 */

/** Base class: every error the core raises on purpose. */
export class TempoBatchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** A request or argument is invalid; `field` names what was wrong (maps to HTTP 400 / exit code 2). */
export class InvalidRequestError extends TempoBatchError {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`invalid request: ${field}: ${problem}`)
  }
}

/**
 * A request ID that already names a different request of the same tenant (other IDs, windows or size
 * limit). Reusing its result would answer the wrong question, so the caller must pick a new request ID
 * (maps to HTTP 409 / exit code 2).
 */
export class RequestConflictError extends InvalidRequestError {
  constructor(requestId: string, tenant: string) {
    super('requestId', `${JSON.stringify(requestId)} already names a different request of tenant ${JSON.stringify(tenant)} (other trace IDs, windows or size limit); use a new request ID`)
  }
}

/** A tenant ID that could escape its prefix or is otherwise unusable as a storage key. */
export class InvalidTenantError extends InvalidRequestError {
  constructor(tenant: unknown, problem: string) {
    super('tenant', tenant === undefined ? problem : `${describeValue(tenant)} ${problem}`)
  }
}

/** The request is valid but bigger than the entry point accepts: body bytes or distinct IDs (HTTP 413). */
export class RequestTooLargeError extends InvalidRequestError {}

/** The tenant is valid but not one this deployment serves (HTTP 403). */
export class TenantNotAllowedError extends InvalidRequestError {
  constructor(tenant: string) {
    super('tenant', `${JSON.stringify(tenant.slice(0, 80))} is not served by this deployment`)
  }
}

/** The body is not JSON by its declared content type (HTTP 415). */
export class UnsupportedMediaTypeError extends InvalidRequestError {
  constructor(contentType: string) {
    super('content-type', `${JSON.stringify(contentType.slice(0, 80))} is not JSON: send Content-Type: application/json`)
  }
}

/** Too much work in flight: the caller should retry after `retryAfterSeconds` (HTTP 429 with Retry-After). */
export class ServerBusyError extends TempoBatchError {
  constructor(
    readonly retryAfterSeconds: number,
    reason: string,
  ) {
    super(`busy: ${reason}; retry in ${retryAfterSeconds} s`)
  }
}

/** A storage object does not exist (S3 NoSuchKey / 404, ENOENT). */
export class ObjectNotFoundError extends TempoBatchError {
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`storage: object not found: ${key}`, options)
  }
}

/** Storage failed for another reason (network, permissions, throttling after retries). */
export class StorageError extends TempoBatchError {
  constructor(
    readonly key: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`storage: ${message}: ${key}`, options)
  }
}

/** Something about one block made it unreadable; the rest of the batch goes on. */
export class BlockError extends TempoBatchError {
  constructor(
    readonly tenant: string,
    readonly blockId: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`block ${tenant}/${blockId}: ${reason}`, options)
  }
}

/** The block's `meta.format` has no reader (or is a Tempo "preview" format Tempo itself skips). */
export class UnsupportedFormatError extends BlockError {
  constructor(tenant: string, blockId: string, readonly format: string) {
    super(tenant, blockId, `unsupported block format ${JSON.stringify(format)}`)
  }
}

/** Bytes of a block object do not decode as they must (truncated parquet, bad bloom header, ...). */
export class CorruptBlockError extends BlockError {}

/**
 * An object of a planned block is gone: compaction (or retention) deleted the block after the batch
 * listed it, and its traces now live in a block the plan did not include.
 */
export class BlockVanishedError extends BlockError {
  constructor(tenant: string, blockId: string, missing: ObjectNotFoundError) {
    super(tenant, blockId, `vanished after the batch was planned (compacted or deleted; re-run the request to read the block that replaced it): ${missing.message}`, { cause: missing })
  }
}

/**
 * The reader service refused a call for now (Lambda answers 429 when the reader's concurrency is used up).
 * Not a failed attempt: the coordinator waits, at least `retryAfterSeconds` when the service said, and calls again.
 */
export class ReaderThrottledError extends TempoBatchError {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** Work stopped at its deadline: whoever waits for it (a coordinator, API Gateway) gives up then. */
export class DeadlineExceededError extends TempoBatchError {
  constructor(
    what: string,
    readonly deadline: number,
  ) {
    super(`${what}: deadline ${new Date(deadline).toISOString()} passed`)
  }
}

/** Render any thrown value as a one-line message, never a stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name
  return String(error)
}
