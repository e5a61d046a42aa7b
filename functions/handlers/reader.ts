import type { Context } from 'aws-lambda'
import { runReaderJob } from '../core/batch/reader.js'
import type { ReaderJob, ReaderSummary } from '../core/contract/types.js'
import { InvalidRequestError } from '../core/contract/errors.js'
import { ResultKeys } from '../core/results/keys.js'
import { isBlockId } from '../core/storage/layout.js'
import { readReaderConfig } from '../config/read-config.js'
import { logger, withRequestKeys } from './shared/observability.js'
import { lazy, readerDeps } from './shared/runtime.js'

const config = lazy(() => readReaderConfig())
const deps = lazy(() => readerDeps(config()))
const TRACE_ID = /^[0-9a-f]{32}$/

/**
 * Reader: invoked only by a coordinator with one `ReaderJob`; searches the job's blocks and writes the
 * partial result under the results prefix, returning the small `ReaderSummary`. A job that would write
 * outside its own `<results>/<tenant>/<requestId>/run-<n>/parts/` is refused here as well as by IAM. The
 * reader stops at the job's deadline, when its coordinator stops waiting (Lambda would not cancel it).
 */
export const handler = async (job: ReaderJob, context: Context): Promise<ReaderSummary> => {
  logger.addContext(context)
  checkJob(job, config().resultPrefix)
  return withRequestKeys({ requestId: job.requestId, tenant: job.tenant }, async () => {
    const summary = await runReaderJob(job, deps())
    logger.info('reader job finished', {
      shard: summary.shard,
      blocks: job.blocks.length,
      tracesFound: summary.tracesFound,
      failedBlocks: summary.failedBlocks.length,
      bytesRead: summary.stats.bytesRead,
      durationMs: summary.durationMs,
    })
    return summary
  })
}

function checkJob(job: ReaderJob, resultPrefix: string): void {
  if (typeof job !== 'object' || job === null || Array.isArray(job)) throw new InvalidRequestError('job', 'must be a reader job object')
  for (const field of ['requestId', 'tenant', 'partKey'] as const) {
    if (typeof job[field] !== 'string') throw new InvalidRequestError(field, 'must be a string')
  }
  if (!Number.isSafeInteger(job.shard) || job.shard < 0) throw new InvalidRequestError('shard', 'must be a non-negative integer')
  if (!Number.isSafeInteger(job.maxBytesPerTrace) || job.maxBytesPerTrace < 0) throw new InvalidRequestError('maxBytesPerTrace', 'must be a non-negative integer')
  if (!Array.isArray(job.blocks)) throw new InvalidRequestError('blocks', 'must be an array')
  if (job.deadline !== undefined && !Number.isSafeInteger(job.deadline)) throw new InvalidRequestError('deadline', 'must be unix milliseconds')
  job.blocks.forEach((block, i) => {
    if (typeof block !== 'object' || block === null || typeof block.blockId !== 'string' || !isBlockId(block.blockId)) throw new InvalidRequestError(`blocks[${i}].blockId`, 'must be a block ID (a lowercase UUID)')
  })
  if (!Array.isArray(job.traceIds) || !job.traceIds.every((id) => typeof id === 'string' && TRACE_ID.test(id))) throw new InvalidRequestError('traceIds', 'must be an array of 32 lowercase hex digits')
  // The job's own tenant and request own the only keys it may write (its part) and read (its ID lists).
  const keys = new ResultKeys(resultPrefix, job.tenant, job.requestId)
  if (!keys.ownsPartKey(job.partKey)) throw new InvalidRequestError('partKey', `must be a part key under ${keys.base}/`)
  if (job.idsKey !== undefined && (typeof job.idsKey !== 'string' || !keys.ownsJobIdsKey(job.idsKey))) {
    throw new InvalidRequestError('idsKey', `must be a job ID list key under ${keys.base}/`)
  }
}
