import type { BlockMeta } from '../blocks/block-meta.js'
import { hasWindow } from '../contract/request.js'
import { metaToJobBlock } from '../contract/job-block.js'
import type { BatchRequest, ReaderJob } from '../contract/types.js'
import { blockTimeInWindow } from './window.js'

/** Sharding knobs; Tempo's lesson is ~15-50 blocks per shard (its default is 30). */
export interface PlanOptions {
  /** Upper bound on shards (= reader invocations). */
  maxReaders: number
  /** Fewer blocks than this per shard only when there are fewer blocks in total (default 15). */
  minBlocksPerShard?: number
  /** More blocks than this per shard only when `maxReaders` forces it (default 50). */
  maxBlocksPerShard?: number
  /** Result-store key of a shard's partial result (default `parts/<shard>.ndjson.gz`). */
  partKey?: (shard: number) => string
}

/** What `planBatch` decided. */
export interface BatchPlan {
  jobs: ReaderJob[]
  blocksListed: number
  /** Blocks no requested ID searches because of the request or per-ID windows. */
  prunedByTime: number
  blocksPlanned: number
  /** IDs whose window excludes every block: not found without reading anything. */
  unsearchedTraceIds: string[]
}

/** Default key of a shard's partial result, relative to the request's folder. */
export function defaultPartKey(shard: number): string {
  return `parts/${String(shard).padStart(5, '0')}.ndjson.gz`
}

/**
 * Pure planning: time pruning (request window, then per-ID windows), then contiguous block-ID ranges
 * balanced by block count. Every job has at least one block and one ID.
 */
export function planBatch(blocks: readonly BlockMeta[], request: BatchRequest, options: PlanOptions): BatchPlan {
  const minPerShard = Math.max(1, options.minBlocksPerShard ?? 15)
  const maxPerShard = Math.max(minPerShard, options.maxBlocksPerShard ?? 50)
  const partKey = options.partKey ?? defaultPartKey
  const sorted = [...blocks].sort((a, b) => (a.blockId < b.blockId ? -1 : a.blockId > b.blockId ? 1 : 0))
  const inRequestWindow = sorted.filter((b) => blockTimeInWindow(b, request.start, request.end))

  const unwindowed = request.traces.filter((t) => !hasWindow(t)).map((t) => t.traceId)
  // For IDs with their own window: the indexes (into inRequestWindow) of the blocks they search.
  const windowed = request.traces
    .filter(hasWindow)
    .map((t) => ({ traceId: t.traceId, blocks: new Set(indexesInWindow(inRequestWindow, t.start!, t.end!)) }))

  const keepIndex = inRequestWindow.map((_, i) => unwindowed.length > 0 || windowed.some((w) => w.blocks.has(i)))
  const kept = inRequestWindow.map((meta, index) => ({ meta, index })).filter((_, i) => keepIndex[i])
  const unsearchedTraceIds = windowed.filter((w) => w.blocks.size === 0).map((w) => w.traceId)

  const shardCount = kept.length === 0 ? 0 : chooseShardCount(kept.length, options.maxReaders, minPerShard, maxPerShard)
  const jobs: ReaderJob[] = []
  let offset = 0
  for (let shard = 0; shard < shardCount; shard++) {
    const size = Math.floor(kept.length / shardCount) + (shard < kept.length % shardCount ? 1 : 0)
    const members = kept.slice(offset, offset + size)
    offset += size
    const memberIndexes = members.map((m) => m.index)
    const traceIds = [...unwindowed]
    const blocksByTraceId: Record<string, string[]> = {}
    for (const w of windowed) {
      const chosen = memberIndexes.filter((i) => w.blocks.has(i))
      if (chosen.length === 0) continue
      traceIds.push(w.traceId)
      if (chosen.length < members.length) blocksByTraceId[w.traceId] = chosen.map((i) => inRequestWindow[i]!.blockId)
    }
    if (traceIds.length === 0) continue
    traceIds.sort()
    const job: ReaderJob = {
      requestId: request.requestId,
      tenant: request.tenant,
      shard: jobs.length,
      blockIdMin: members[0]!.meta.blockId,
      blockIdMax: members[members.length - 1]!.meta.blockId,
      blocks: members.map((m) => metaToJobBlock(m.meta)),
      traceIds,
      maxBytesPerTrace: request.maxBytesPerTrace,
      partKey: partKey(jobs.length),
    }
    if (Object.keys(blocksByTraceId).length > 0) job.blocksByTraceId = blocksByTraceId
    jobs.push(job)
  }
  return {
    jobs,
    blocksListed: blocks.length,
    prunedByTime: blocks.length - kept.length,
    blocksPlanned: kept.length,
    unsearchedTraceIds,
  }
}

function indexesInWindow(blocks: readonly BlockMeta[], start: number, end: number): number[] {
  const out: number[] = []
  blocks.forEach((b, i) => {
    if (blockTimeInWindow(b, start, end)) out.push(i)
  })
  return out
}

/** As many shards as keep at least `minPerShard` blocks each, at least enough for `maxPerShard`, capped by readers. */
export function chooseShardCount(blocks: number, maxReaders: number, minPerShard: number, maxPerShard: number): number {
  const wanted = Math.max(1, Math.floor(blocks / minPerShard), Math.ceil(blocks / maxPerShard))
  return Math.max(1, Math.min(wanted, Math.max(1, Math.floor(maxReaders)), blocks))
}
