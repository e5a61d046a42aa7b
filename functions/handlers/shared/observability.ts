import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import type { BatchOutcome } from '../../core/batch/coordinator.js'

/**
 * Powertools logger and metrics, one of each per function (module scope, reused across invocations).
 * Service name and namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE, which the
 * CDK construct sets; the defaults keep local runs working.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tempo-batch' })

/** The function's metrics (CloudWatch embedded metric format on stdout). */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'TempoBatch',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tempo-batch',
})

/** Run `work` with `requestId` and `tenant` on every log line it writes. */
export async function withRequestKeys<T>(keys: { requestId?: string; tenant?: string }, work: () => Promise<T>): Promise<T> {
  const defined = Object.fromEntries(Object.entries(keys).filter(([, value]) => value !== undefined))
  logger.appendKeys(defined)
  try {
    return await work()
  } finally {
    logger.removeKeys(Object.keys(defined))
  }
}

/** Emit one set of metrics for a finished batch (tenant and request ID ride along as metadata, not dimensions). */
export function publishBatchMetrics(outcome: BatchOutcome, durationMs: number): void {
  const { manifest } = outcome
  metrics.addMetadata('requestId', manifest.requestId)
  metrics.addMetadata('tenant', manifest.tenant)
  metrics.addMetric('TraceIdsRequested', MetricUnit.Count, manifest.counts.requested)
  metrics.addMetric('TracesFound', MetricUnit.Count, manifest.counts.found)
  metrics.addMetric('TracesNotFound', MetricUnit.Count, manifest.counts.not_found)
  metrics.addMetric('TracesPartial', MetricUnit.Count, manifest.counts.partial)
  metrics.addMetric('TracesTooLarge', MetricUnit.Count, manifest.counts.too_large)
  metrics.addMetric('BlocksSearched', MetricUnit.Count, manifest.stats.blocksSearched)
  metrics.addMetric('BytesRead', MetricUnit.Bytes, manifest.stats.bytesRead)
  metrics.addMetric('Shards', MetricUnit.Count, manifest.shards.length)
  metrics.addMetric('ResultReused', MetricUnit.Count, outcome.reused ? 1 : 0)
  metrics.addMetric('BatchDuration', MetricUnit.Milliseconds, Math.round(durationMs))
  metrics.publishStoredMetrics()
}

/** Count a request that failed outright (invalid, throttled or crashed), by entry point and kind. */
export function publishFailureMetric(kind: 'Rejected' | 'Throttled' | 'Failed'): void {
  metrics.addMetric(`Requests${kind}`, MetricUnit.Count, 1)
  metrics.publishStoredMetrics()
}

/** Log a batch outcome in one structured line. */
export function logBatchOutcome(outcome: BatchOutcome, durationMs: number): void {
  const { manifest } = outcome
  logger.info('batch finished', {
    status: manifest.status,
    counts: manifest.counts,
    reused: outcome.reused,
    manifestKey: outcome.manifestKey,
    blocksSearched: manifest.stats.blocksSearched,
    bytesRead: manifest.stats.bytesRead,
    durationMs: Math.round(durationMs),
  })
}
