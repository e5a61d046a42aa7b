import { InvokeCommand, LambdaClient, TooManyRequestsException, type LambdaClientConfig } from '@aws-sdk/client-lambda'
import type { Invoker, ReaderJob, ReaderSummary } from '../core/contract/types.js'
import { ReaderThrottledError, TempoBatchError, describeError } from '../core/contract/errors.js'

/**
 * The `Invoker` port over AWS Lambda: one synchronous (RequestResponse) invocation of the reader function
 * per job. The job travels as JSON and must stay under the payload limit (the coordinator moves large
 * ID lists to `idsKey` first); the reader answers with a small `ReaderSummary`, never trace data.
 */

/** Payload limit the job JSON must stay under (bytes). Lambda's own synchronous limit is larger; we keep jobs small. */
export const MAX_READER_PAYLOAD_BYTES = 256 * 1024

/** Default wait for one reader: Lambda's 15-minute maximum plus a margin for the round trip. */
export const DEFAULT_READER_TIMEOUT_MS = 910_000

/** A reader invocation failed: the function threw, timed out, was not found, or answered nonsense. */
export class ReaderInvocationError extends TempoBatchError {
  constructor(
    readonly functionName: string,
    readonly shard: number,
    readonly reason: string,
    readonly details: { errorType?: string; timedOut?: boolean } = {},
    options?: { cause?: unknown },
  ) {
    super(`lambda: reader ${functionName} shard ${shard}: ${reason}`, options)
  }
}

/** A reader job whose JSON is over the payload limit; it is never sent. */
export class ReaderPayloadTooLargeError extends TempoBatchError {
  constructor(
    readonly shard: number,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`lambda: reader job for shard ${shard} is ${bytes} bytes, over the ${limit}-byte payload limit`)
  }
}

/** Options of `LambdaInvoker`. */
export interface LambdaInvokerOptions {
  /** Reader function name or ARN (with optional qualifier). */
  functionName: string
  /**
   * Use this client; otherwise one is built from `clientConfig` (region, endpoint and credentials from the
   * default chain) with no SDK retries (the coordinator retries, honouring Retry-After, each call on a fresh
   * timer) and a socket for each of `maxConcurrentInvocations`.
   */
  client?: LambdaClient
  clientConfig?: LambdaClientConfig
  /**
   * Invocations this invoker may have in flight (default 100): the HTTP agent gets that many sockets, so a
   * call never queues for a socket while the coordinator's timer for it already runs (the SDK's default is 50).
   */
  maxConcurrentInvocations?: number
  /** Give up on one invocation after this long (default `DEFAULT_READER_TIMEOUT_MS`). */
  timeoutMs?: number
  /** Payload limit in bytes (default `MAX_READER_PAYLOAD_BYTES`). */
  maxPayloadBytes?: number
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Runs reader jobs as synchronous Lambda invocations. */
export class LambdaInvoker implements Invoker {
  readonly client: LambdaClient
  readonly functionName: string
  private readonly timeoutMs: number
  private readonly maxPayloadBytes: number

  constructor(options: LambdaInvokerOptions) {
    this.functionName = options.functionName
    this.client = options.client ?? new LambdaClient(lambdaClientConfig(options))
    this.timeoutMs = options.timeoutMs ?? DEFAULT_READER_TIMEOUT_MS
    this.maxPayloadBytes = options.maxPayloadBytes ?? MAX_READER_PAYLOAD_BYTES
  }

  /** Invoke the reader for `job`; rejects with a typed error on any failure (the coordinator retries). */
  async invoke(job: ReaderJob, options: { signal?: AbortSignal } = {}): Promise<ReaderSummary> {
    const payload = encoder.encode(JSON.stringify(job))
    if (payload.length >= this.maxPayloadBytes) throw new ReaderPayloadTooLargeError(job.shard, payload.length, this.maxPayloadBytes)
    const fail = (reason: string, details?: ReaderInvocationError['details'], cause?: unknown): ReaderInvocationError =>
      new ReaderInvocationError(this.functionName, job.shard, reason, details, cause === undefined ? undefined : { cause })

    if (options.signal?.aborted) throw fail('aborted before invocation', {}, options.signal.reason)
    const timeout = AbortSignal.timeout(this.timeoutMs)
    const abortSignal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout

    let output
    try {
      output = await this.client.send(
        new InvokeCommand({ FunctionName: this.functionName, InvocationType: 'RequestResponse', Payload: payload }),
        { abortSignal },
      )
    } catch (error) {
      if (timeout.aborted) throw fail(`timed out after ${this.timeoutMs} ms`, { timedOut: true }, error)
      if (options.signal?.aborted) throw fail('aborted', {}, error)
      if (error instanceof TooManyRequestsException) throw throttled(this.functionName, job.shard, error)
      const name = error instanceof Error ? error.name : 'Error'
      throw fail(`invoke failed: ${name}: ${describeError(error)}`, { errorType: name }, error)
    }

    const text = output.Payload ? decoder.decode(output.Payload) : ''
    const body = parseJson(text)
    if (output.FunctionError !== undefined || hasErrorMessage(body)) {
      const errorType = hasErrorMessage(body) && typeof body.errorType === 'string' ? body.errorType : (output.FunctionError ?? 'Error')
      const message = hasErrorMessage(body) ? body.errorMessage : text.slice(0, 500) || 'no error message'
      throw fail(`function error: ${errorType}: ${message}`, { errorType })
    }
    const problem = summaryProblem(body, job)
    if (problem !== undefined) throw fail(`invalid reader summary: ${problem}`)
    return body as ReaderSummary
  }
}

/** The client `LambdaInvoker` builds: no SDK retries, one socket per invocation in flight. */
export function lambdaClientConfig(options: Pick<LambdaInvokerOptions, 'clientConfig' | 'maxConcurrentInvocations'>): LambdaClientConfig {
  const maxSockets = options.maxConcurrentInvocations ?? DEFAULT_MAX_CONCURRENT_INVOCATIONS
  return { maxAttempts: 1, requestHandler: { httpAgent: { maxSockets }, httpsAgent: { maxSockets } }, ...options.clientConfig }
}

const DEFAULT_MAX_CONCURRENT_INVOCATIONS = 100

// Lambda refuses the call while the reader's concurrency is used up: not a failure, a "later".
function throttled(functionName: string, shard: number, error: TooManyRequestsException): ReaderThrottledError {
  const seconds = Number(error.retryAfterSeconds)
  const reason = error.Reason ? ` (${error.Reason})` : ''
  return new ReaderThrottledError(`lambda: reader ${functionName} shard ${shard}: throttled${reason}`, Number.isFinite(seconds) && seconds > 0 ? seconds : undefined, { cause: error })
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function hasErrorMessage(value: unknown): value is { errorMessage: string; errorType?: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { errorMessage?: unknown }).errorMessage === 'string'
}

// A summary for another shard or part would silently lose results; refuse it.
function summaryProblem(value: unknown, job: ReaderJob): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not a json object'
  const summary = value as Partial<Record<keyof ReaderSummary, unknown>>
  if (summary.shard !== job.shard) return `shard ${String(summary.shard)} does not match the job's shard ${job.shard}`
  if (summary.partKey !== job.partKey) return `partKey ${JSON.stringify(summary.partKey)} does not match the job's ${JSON.stringify(job.partKey)}`
  if (typeof summary.tracesFound !== 'number') return 'tracesFound is not a number'
  if (!Array.isArray(summary.failedBlocks)) return 'failedBlocks is not an array'
  if (typeof summary.stats !== 'object' || summary.stats === null) return 'stats is missing'
  if (typeof summary.durationMs !== 'number') return 'durationMs is not a number'
  return undefined
}
