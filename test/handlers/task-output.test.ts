import { describe, expect, it } from 'vitest'
import type { Manifest, ShardOutcome } from '../../functions/core/contract/types.js'
import { MAX_TASK_OUTPUT_BYTES, taskOutput } from '../../functions/handlers/stepfunctions.js'

function manifestWithShards(shards: number): Manifest {
  const shard: ShardOutcome = {
    shard: 0, blockIdMin: '00000000-0000-0000-0000-000000000000', blockIdMax: 'ffffffff-ffff-ffff-ffff-ffffffffffff',
    blocks: 40, traceIds: 100, status: 'ok', attempts: 1, failedBlocks: [], durationMs: 1200,
  }
  return {
    requestId: 'req-1', tenant: 'team-a', requestDigest: 'sha256:00', run: 1, status: 'complete',
    counts: { requested: 10, found: 9, not_found: 1, partial: 0, too_large: 0 },
    resultKey: 'results/req-1/result.ndjson.gz', location: 's3://results/results/req-1/result.ndjson.gz',
    shards: Array.from({ length: shards }, (_, i) => ({ ...shard, shard: i })),
    stats: { blocksSearched: 1, bloomRejects: 0, requests: 1, bytesRead: 1, pagesDecoded: 1, rowsDecoded: 1, spans: 1, phaseMs: {}, blocksListed: 1, blocksPrunedByTime: 0, discovery: 'listing', durationMs: {} },
    createdAt: '2026-11-25T00:00:00.000Z',
  }
}

describe('Step Functions task output', () => {
  it('carries the whole manifest when it fits', () => {
    const output = taskOutput({ manifest: manifestWithShards(3), manifestKey: 'results/req-1/manifest.json', reused: false }, 's3://results', true)
    expect(output).toMatchObject({ requestId: 'req-1', manifestLocation: 's3://results/results/req-1/manifest.json', resultLocation: 's3://results/results/req-1/result.ndjson.gz' })
    expect(output.manifest?.shards).toHaveLength(3)
  })

  it('drops the shard list, keeping counts and locations, when the output would pass the limit', () => {
    const manifest = manifestWithShards(5000)
    expect(Buffer.byteLength(JSON.stringify(manifest))).toBeGreaterThan(MAX_TASK_OUTPUT_BYTES)
    const output = taskOutput({ manifest, manifestKey: 'results/req-1/manifest.json', reused: false }, 's3://results', true)
    expect(Buffer.byteLength(JSON.stringify(output))).toBeLessThan(MAX_TASK_OUTPUT_BYTES)
    expect(output.manifest?.shards).toEqual([])
    expect(output.manifest?.counts).toEqual(manifest.counts)
  })
})
