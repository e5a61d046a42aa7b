import { describe, it, expect } from 'vitest'
import type { BlockMeta } from '../../functions/core/blocks/block-meta.js'
import type { BatchRequest } from '../../functions/core/contract/types.js'
import { chooseShardCount, planBatch } from '../../functions/core/plan/plan-batch.js'
import { blockTimeInWindow, unixSeconds } from '../../functions/core/plan/window.js'
import { jobBlockToMeta, metaToJobBlock } from '../../functions/core/contract/job-block.js'

const SEC = 1_000_000_000n

function block(n: number, startSec: number, endSec: number): BlockMeta {
  return {
    format: 'vParquet4',
    blockId: `00000000-0000-0000-0000-${n.toString(16).padStart(12, '0')}`,
    tenantId: 't',
    startTimeUnixNano: BigInt(startSec) * SEC + 500_000_000n,
    endTimeUnixNano: BigInt(endSec) * SEC + 250_000_000n,
    totalObjects: 10,
    size: 1000,
    compactionLevel: 0,
    totalRecords: 1,
    bloomShards: 2,
    footerSize: 100,
    dedicatedColumns: [{ name: 'db.system', scope: 'span', type: 'string', options: [] }],
    replicationFactor: 1,
  }
}

function request(traces: BatchRequest['traces'], window: { start?: number; end?: number } = {}): BatchRequest {
  return { tenant: 't', traces, requestId: 'req', maxBytesPerTrace: 5_000_000, ...window }
}

const id = (n: number) => n.toString(16).padStart(32, '0')

describe('time window (Tempo compares whole seconds, strictly)', () => {
  it('keeps a block iff start.Unix() < end and end.Unix() > start', () => {
    const b = block(1, 100, 200) // 100.5 s .. 200.25 s
    expect(unixSeconds(b.startTimeUnixNano)).toBe(100)
    expect(blockTimeInWindow(b, 50, 101)).toBe(true)
    expect(blockTimeInWindow(b, 50, 100)).toBe(false)
    expect(blockTimeInWindow(b, 199, 300)).toBe(true)
    expect(blockTimeInWindow(b, 200, 300)).toBe(false)
    expect(blockTimeInWindow(b, 200)).toBe(true)
    expect(blockTimeInWindow(b, undefined, 1)).toBe(true)
  })
})

describe('planBatch', () => {
  it('splits blocks sorted by GUID into contiguous ranges balanced by count', () => {
    const blocks = Array.from({ length: 47 }, (_, i) => block(46 - i, 0, 10))
    const plan = planBatch(blocks, request([{ traceId: id(1) }, { traceId: id(2) }]), { maxReaders: 10 })
    // 47 blocks / 15 per shard => 3 shards of 16, 16, 15.
    expect(plan.jobs.map((j) => j.blocks.length)).toEqual([16, 16, 15])
    expect(plan.jobs.map((j) => [j.blockIdMin, j.blockIdMax])).toEqual([
      [block(0, 0, 0).blockId, block(15, 0, 0).blockId],
      [block(16, 0, 0).blockId, block(31, 0, 0).blockId],
      [block(32, 0, 0).blockId, block(46, 0, 0).blockId],
    ])
    expect(plan.jobs[1]).toMatchObject({ shard: 1, requestId: 'req', tenant: 't', traceIds: [id(1), id(2)], partKey: 'parts/00001.ndjson.gz', maxBytesPerTrace: 5_000_000 })
    expect(plan.jobs[1]!.blocksByTraceId).toBeUndefined()
    expect(plan).toMatchObject({ blocksListed: 47, prunedByTime: 0, blocksPlanned: 47, unsearchedTraceIds: [] })
  })

  it('is capped by maxReaders and never makes empty shards', () => {
    expect(chooseShardCount(1000, 8, 15, 50)).toBe(8)
    expect(chooseShardCount(3, 8, 1, 50)).toBe(3)
    expect(chooseShardCount(3, 8, 15, 50)).toBe(1)
    expect(chooseShardCount(200, 100, 15, 50)).toBe(13)
    expect(chooseShardCount(5, 0, 1, 50)).toBe(1)
    const plan = planBatch([block(1, 0, 10), block(2, 0, 10), block(3, 0, 10)], request([{ traceId: id(1) }]), { maxReaders: 8, minBlocksPerShard: 1 })
    expect(plan.jobs.map((j) => j.blocks.map((b) => b.blockId.slice(-1)))).toEqual([['1'], ['2'], ['3']])
    expect(planBatch([], request([{ traceId: id(1) }]), { maxReaders: 4 }).jobs).toEqual([])
  })

  it('prunes by the request window, then narrows per-ID windows', () => {
    const blocks = [block(1, 100, 200), block(2, 150, 250), block(3, 300, 400), block(4, 1000, 2000)]
    const plan = planBatch(
      blocks,
      request(
        [
          { traceId: id(1) },
          { traceId: id(2), start: 90, end: 120 }, // block 1 only
          { traceId: id(3), start: 500, end: 600 }, // no block
        ],
        { start: 0, end: 500 },
      ),
      { maxReaders: 1, minBlocksPerShard: 1 },
    )
    expect(plan.prunedByTime).toBe(1)
    expect(plan.unsearchedTraceIds).toEqual([id(3)])
    expect(plan.jobs).toHaveLength(1)
    expect(plan.jobs[0]!.traceIds).toEqual([id(1), id(2)])
    expect(plan.jobs[0]!.blocksByTraceId).toEqual({ [id(2)]: [blocks[0]!.blockId] })
  })

  it('drops blocks no windowed ID needs and leaves IDs out of shards they do not search', () => {
    const blocks = [block(1, 100, 200), block(2, 300, 400), block(3, 500, 600)]
    const plan = planBatch(blocks, request([{ traceId: id(1), start: 90, end: 120 }, { traceId: id(2), start: 550, end: 560 }]), {
      maxReaders: 4,
      minBlocksPerShard: 1,
    })
    expect(plan.prunedByTime).toBe(1)
    expect(plan.jobs.map((j) => ({ shard: j.shard, blocks: j.blocks.map((b) => b.blockId.slice(-1)), ids: j.traceIds, by: j.blocksByTraceId }))).toEqual([
      { shard: 0, blocks: ['1'], ids: [id(1)], by: undefined },
      { shard: 1, blocks: ['3'], ids: [id(2)], by: undefined },
    ])
  })

  it('carries block metadata losslessly through the JSON job', () => {
    const meta = { ...block(7, 1, 2), compactedTime: new Date('2025-01-15T11:50:00.000Z') }
    const job = JSON.parse(JSON.stringify(metaToJobBlock(meta)))
    expect(jobBlockToMeta(job, 't')).toEqual(meta)
  })
})
