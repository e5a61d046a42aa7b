import { describeError, TempoBatchError } from '../contract/errors.js'
import { mapLimit } from './map-limit.js'
import type { Invoker, ReaderJob, ReaderSummary, ShardOutcome } from '../contract/types.js'

/** A reader did not answer within the coordinator's timeout. */
export class ReaderTimeoutError extends TempoBatchError {
  constructor(shard: number, ms: number) {
    super(`coordinator: reader for shard ${shard} timed out after ${ms} ms`)
  }
}

/** Options of `invokeShards`. */
export interface InvokeShardsOptions {
  concurrency: number
  timeoutMs: number
  /** Attempts per shard (default 2: one retry). */
  attempts?: number
  onShardDone?: () => void
}

/** One shard's outcome, with the summary when it succeeded. */
export interface ShardResult {
  job: ReaderJob
  outcome: ShardOutcome
  summary?: ReaderSummary
}

/** Invoke every job with bounded concurrency; a failed or timed-out job is retried once, then reported failed. */
export async function invokeShards(invoker: Invoker, jobs: readonly ReaderJob[], options: InvokeShardsOptions): Promise<ShardResult[]> {
  const attempts = Math.max(1, options.attempts ?? 2)
  return mapLimit(jobs, options.concurrency, async (job) => {
    const started = performance.now()
    let lastError: unknown
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const summary = await invokeWithTimeout(invoker, job, options.timeoutMs)
        options.onShardDone?.()
        return { job, summary, outcome: outcome(job, attempt === 1 ? 'ok' : 'retried', attempt, performance.now() - started, summary) }
      } catch (error) {
        lastError = error
      }
    }
    options.onShardDone?.()
    const failed = outcome(job, 'failed', attempts, performance.now() - started)
    failed.error = describeError(lastError)
    return { job, outcome: failed }
  })
}

function outcome(job: ReaderJob, status: ShardOutcome['status'], attempts: number, ms: number, summary?: ReaderSummary): ShardOutcome {
  return {
    shard: job.shard,
    blockIdMin: job.blockIdMin,
    blockIdMax: job.blockIdMax,
    blocks: job.blocks.length,
    traceIds: job.traceIds.length,
    status,
    attempts,
    // The manifest stays small: the open IDs are reported per line, not here.
    failedBlocks: (summary?.failedBlocks ?? []).map(({ blockId, error }) => ({ blockId, error })),
    durationMs: Math.round(ms),
  }
}

async function invokeWithTimeout(invoker: Invoker, job: ReaderJob, timeoutMs: number): Promise<ReaderSummary> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(new ReaderTimeoutError(job.shard, timeoutMs))
    }, timeoutMs)
  })
  try {
    return await Promise.race([invoker.invoke(job, { signal: controller.signal }), timeout])
  } finally {
    clearTimeout(timer)
  }
}
