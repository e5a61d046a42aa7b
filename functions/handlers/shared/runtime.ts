import { LambdaInvoker } from '../../adapters/lambda-invoker.js'
import { S3Store } from '../../adapters/s3-store.js'
import { runBatch, type BatchOutcome, type CoordinatorDeps } from '../../core/batch/coordinator.js'
import type { ReaderDeps } from '../../core/batch/reader.js'
import { TempoLayout } from '../../core/storage/layout.js'
import type { CoordinatorConfig, ReaderConfig, StorageConfig } from '../../config/read-config.js'
import { logBatchOutcome, publishBatchMetrics } from './observability.js'
import type { BatchRequest } from '../../core/contract/types.js'

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
    invoker: new LambdaInvoker({ functionName: config.readerFunction, ...(config.readerTimeoutMs !== undefined ? { timeoutMs: config.readerTimeoutMs } : {}) }),
  }
  if (config.maxReaders !== undefined) deps.maxReaders = config.maxReaders
  if (config.invokeConcurrency !== undefined) deps.invokeConcurrency = config.invokeConcurrency
  if (config.readerTimeoutMs !== undefined) deps.readerTimeoutMs = config.readerTimeoutMs
  return deps
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
