import type { BlockFailure, ReaderJob } from '../contract/types.js'
import type { ShardResult } from './invoke-shards.js'

/**
 * Per requested ID, why its answer may be incomplete: its shard failed, a block it should have been
 * searched in failed, or a block of the tenant could not even be described (its `meta.json` is
 * unreadable, so any ID may be in it). An ID with a reason is `partial`, never `not_found`.
 */
export function failureReasons(
  jobs: readonly ReaderJob[],
  results: readonly ShardResult[],
  unreadable: readonly { blockId: string; reason: string }[] = [],
  requested: readonly string[] = [],
): Map<string, string[]> {
  const reasons = new Map<string, string[]>()
  const add = (id: string, reason: string) => {
    const list = reasons.get(id)
    if (list) list.push(reason)
    else reasons.set(id, [reason])
  }
  for (const block of unreadable) {
    const reason = `block ${block.blockId}: ${block.reason}`
    for (const id of requested) add(id, reason)
  }
  results.forEach((result, i) => {
    const job = jobs[i]!
    if (!result.summary) {
      const reason = `shard ${job.shard} (blocks ${job.blockIdMin}..${job.blockIdMax}) failed: ${result.outcome.error ?? 'unknown error'}`
      for (const id of job.traceIds) add(id, reason)
      return
    }
    for (const failed of result.summary.failedBlocks) {
      const reason = failed.error.includes(failed.blockId) ? failed.error : `block ${failed.blockId}: ${failed.error}`
      for (const id of openIds(job, failed)) add(id, reason)
    }
  })
  return reasons
}

function openIds(job: ReaderJob, failed: BlockFailure): readonly string[] {
  return failed.traceIds ?? job.traceIds.filter((id) => job.blocksByTraceId?.[id]?.includes(failed.blockId) ?? true)
}
