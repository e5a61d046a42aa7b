import { LambdaInvoker } from '../../adapters/lambda-invoker.js'
import { S3Store } from '../../adapters/s3-store.js'
import { runBatch, type BatchOutcome, type CoordinatorDeps } from '../../core/batch/coordinator.js'
import type { ReaderDeps } from '../../core/batch/reader.js'
import { TempoLayout } from '../../core/storage/layout.js'
import type { CoordinatorConfig, ReaderConfig, StorageConfig } from '../../config/read-config.js'
import { logBatchOutcome, publishBatchMetrics } from './observability.js'
import { DeadlineExceededError } from '../../core/contract/errors.js'
import type { BatchRequest } from '../../core/contract/types.js'
import type { Context } from 'aws-lambda'

/**
 * Wiring from config to the core's dependencies. Clients are built once per container (on first use,
 * so a missing variable fails the invocation loudly rather than the module import).
 */

/** The S3 URL of a bucket and optional prefix. */
export function s3Url(bucket: string, prefix: string): string {
  return prefix === '' ? `s3://${bucket}` : `s3://${bucket}/${prefix}`
}

/** Stores and layout for any function: Tempo's bucket (rooted at its prefix) and the result bucket. */
export function storageDeps(config: StorageConfig): Pick<ReaderDeps, 'tempoStore' | 'layout' | 'resultStore'> & { resultsPrefix: string } {
  return {
    tempoStore: S3Store.fromUrl(s3Url(config.tempoBucket, config.tempoPrefix)),
    layout: new TempoLayout(),
    resultStore: S3Store.fromUrl(s3Url(config.resultBucket, '')),
    resultsPrefix: config.resultPrefix,
  }
}

/** A reader's dependencies. */
export function readerDeps(config: ReaderConfig): ReaderDeps {
  const deps: ReaderDeps = storageDeps(config)
  if (config.blockConcurrency !== undefined) deps.blockConcurrency = config.blockConcurrency
  if (config.idsPerChunk !== undefined) deps.idsPerChunk = config.idsPerChunk
  if (config.readWindowBytes !== undefined) deps.readWindowBytes = config.readWindowBytes
  if (config.fetchRoundBytes !== undefined) deps.fetchRoundBytes = config.fetchRoundBytes
  return deps
}

/** A coordinator's dependencies: the stores and a `LambdaInvoker` for the reader function. */
export function coordinatorDeps(config: CoordinatorConfig): CoordinatorDeps {
  const deps: CoordinatorDeps = {
    ...storageDeps(config),
    invoker: new LambdaInvoker({
      functionName: config.readerFunction,
      maxConcurrentInvocations: config.invokeConcurrency ?? config.maxReaders ?? DEFAULT_MAX_READERS,
      ...(config.readerTimeoutMs !== undefined ? { timeoutMs: config.readerTimeoutMs } : {}),
    }),
  }
  if (config.maxReaders !== undefined) deps.maxReaders = config.maxReaders
  if (config.invokeConcurrency !== undefined) deps.invokeConcurrency = config.invokeConcurrency
  if (config.readerTimeoutMs !== undefined) deps.readerTimeoutMs = config.readerTimeoutMs
  return deps
}

// The core's default shard count, which is also its default invoke concurrency.
const DEFAULT_MAX_READERS = 100

/** Time a long-running coordinator keeps after its readers' deadline to merge and write before its Lambda ends. */
export const MERGE_MARGIN_MS = 60_000

/**
 * Unix milliseconds `marginMs` before this invocation's Lambda timeout: the coordinator's deadline for
 * readers, leaving the margin to merge and write (a Lambda killed at its timeout writes nothing).
 */
export function invocationDeadline(context: Pick<Context, 'getRemainingTimeInMillis'>, marginMs: number): number {
  return Date.now() + Math.max(0, context.getRemainingTimeInMillis() - marginMs)
}

/** Run one batch and publish its log line and metrics. */
export async function runObservedBatch(request: BatchRequest, deps: CoordinatorDeps): Promise<BatchOutcome> {
  const started = performance.now()
  const outcome = await runBatch(request, deps)
  const durationMs = performance.now() - started
  logBatchOutcome(outcome, durationMs)
  publishBatchMetrics(outcome, durationMs)
  return outcome
}

/**
 * Run one batch, but answer by `answerAt` (unix ms) whatever happens: past it the batch is aborted (no
 * manifest written, readers stop a second later) and `undefined` says it did not finish in time.
 */
export async function runObservedBatchUntil(request: BatchRequest, deps: CoordinatorDeps, answerAt: number): Promise<BatchOutcome | undefined> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new DeadlineExceededError('coordinator: answer', answerAt))
      resolve(undefined)
    }, Math.max(0, answerAt - Date.now()))
  })
  // The readers' deadline comes after the abort, so an aborted batch never writes a partial answer.
  const batch = runObservedBatch(request, { ...deps, signal: controller.signal, deadline: answerAt + 1_000 })
  batch.catch(() => undefined)
  try {
    return await Promise.race([batch, late])
  } catch (error) {
    if (controller.signal.aborted) return undefined
    throw error
  } finally {
    clearTimeout(timer)
  }
}

/** Build a value once, on first use. */
export function lazy<T>(build: () => T): () => T {
  let value: T | undefined
  let built = false
  return () => {
    if (!built) {
      value = build()
      built = true
    }
    return value as T
  }
}
