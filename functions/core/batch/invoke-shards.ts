import { DeadlineExceededError, describeError, ReaderThrottledError, TempoBatchError } from '../contract/errors.js'
import { mapLimit } from './map-limit.js'
import type { Invoker, ReaderJob, ReaderSummary, ShardOutcome } from '../contract/types.js'

/** A reader did not answer within the coordinator's timeout. */
export class ReaderTimeoutError extends TempoBatchError {
  constructor(shard: number, ms: number) {
    super(`coordinator: reader for shard ${shard} timed out after ${ms} ms`)
  }
}

/** Backoff between throttled calls: full jitter under a ceiling that doubles per throttle, up to `maxMs`. */
export interface ThrottleBackoff {
  /** First ceiling (default 500 ms). */
  baseMs: number
  /** Largest ceiling (default 20 s). */
  maxMs: number
}

/** Options of `invokeShards`. */
export interface InvokeShardsOptions {
  concurrency: number
  /** Longest wait for one call, from when it is sent. */
  timeoutMs: number
  /** Attempts per shard (default 2: one retry); throttled calls do not count. */
  attempts?: number
  /**
   * Unix milliseconds when the caller stops waiting for the whole fan-out: no call starts or waits past
   * it, and every job carries it so readers stop too. Without one, a shard waits out throttling for at
   * most `timeoutMs` in all.
   */
  deadline?: number
  /** Stops the fan-out: no new calls, calls in flight aborted. */
  signal?: AbortSignal
  throttleBackoff?: ThrottleBackoff
  /** Whether an invoker error means "slow down" (default: it is a `ReaderThrottledError`). */
  isThrottle?: (error: unknown) => error is ReaderThrottledError
  onShardDone?: () => void
}

/** One shard's outcome, with the summary when it succeeded. */
export interface ShardResult {
  job: ReaderJob
  outcome: ShardOutcome
  summary?: ReaderSummary
}

const DEFAULT_BACKOFF: ThrottleBackoff = { baseMs: 500, maxMs: 20_000 }

/**
 * Invoke every job with bounded concurrency. A failed or timed-out call is retried once, then reported
 * failed; a throttled call (the reader's concurrency is used up, e.g. by another batch) is not a failure:
 * it is sent again after a jittered backoff that honours the service's `retryAfterSeconds`, until the
 * deadline. Each call's timer starts when it is sent, and each job carries the deadline of its attempt.
 */
export async function invokeShards(invoker: Invoker, jobs: readonly ReaderJob[], options: InvokeShardsOptions): Promise<ShardResult[]> {
  const attempts = Math.max(1, options.attempts ?? 2)
  const isThrottle = options.isThrottle ?? ((error: unknown): error is ReaderThrottledError => error instanceof ReaderThrottledError)
  const backoff = options.throttleBackoff ?? DEFAULT_BACKOFF
  return mapLimit(jobs, options.concurrency, async (job) => {
    const started = performance.now()
    // Without a batch deadline, throttling may delay a shard by about one call's timeout in all.
    const throttleDeadline = options.deadline ?? Date.now() + options.timeoutMs
    let lastError: unknown
    let attempt = 1
    let throttled = 0
    while (attempt <= attempts && !options.signal?.aborted) {
      try {
        const summary = await invokeOnce(invoker, job, options)
        options.onShardDone?.()
        return { job, summary, outcome: outcome(job, attempt === 1 ? 'ok' : 'retried', attempt, throttled, performance.now() - started, summary) }
      } catch (error) {
        lastError = error
        if (!isThrottle(error)) {
          attempt++
          continue
        }
        const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** throttled++)
        const waitMs = Math.max((error.retryAfterSeconds ?? 0) * 1000, Math.floor(Math.random() * ceiling))
        if (Date.now() + waitMs >= throttleDeadline) break
        await sleep(waitMs, options.signal)
      }
    }
    options.onShardDone?.()
    const failed = outcome(job, 'failed', Math.min(attempt, attempts), throttled, performance.now() - started)
    failed.error = describeError(lastError ?? options.signal?.reason)
    return { job, outcome: failed }
  })
}

function outcome(job: ReaderJob, status: ShardOutcome['status'], attempts: number, throttled: number, ms: number, summary?: ReaderSummary): ShardOutcome {
  return {
    shard: job.shard,
    blockIdMin: job.blockIdMin,
    blockIdMax: job.blockIdMax,
    blocks: job.blocks.length,
    traceIds: job.traceIds.length,
    status,
    attempts,
    ...(throttled > 0 ? { throttled } : {}),
    // The manifest stays small: the open IDs are reported per line, not here.
    failedBlocks: (summary?.failedBlocks ?? []).map(({ blockId, error }) => ({ blockId, error })),
    durationMs: Math.round(ms),
  }
}

/** One call: its timer starts now, and neither it nor the reader outlives the deadline. */
async function invokeOnce(invoker: Invoker, job: ReaderJob, options: InvokeShardsOptions): Promise<ReaderSummary> {
  const now = Date.now()
  if (options.deadline !== undefined && now >= options.deadline) throw new DeadlineExceededError(`coordinator: shard ${job.shard} not started`, options.deadline)
  const timeoutMs = Math.min(options.timeoutMs, (options.deadline ?? Infinity) - now)
  const controller = new AbortController()
  const onAbort = () => controller.abort(options.signal?.reason)
  options.signal?.addEventListener('abort', onAbort, { once: true })
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(new ReaderTimeoutError(job.shard, timeoutMs))
    }, timeoutMs)
  })
  try {
    return await Promise.race([invoker.invoke({ ...job, deadline: now + timeoutMs }, { signal: controller.signal }), timeout])
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', onAbort)
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
  })
}
