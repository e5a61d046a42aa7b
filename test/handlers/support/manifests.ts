import type { Manifest, ShardOutcome } from '../../../functions/core/contract/types.js'

/** A complete manifest of request `req-1` with `shards` shard outcomes (the part that makes manifests long). */
export function manifestWithShards(shards: number, requestId = 'req-1'): Manifest {
  const shard: ShardOutcome = {
    shard: 0, blockIdMin: '00000000-0000-0000-0000-000000000000', blockIdMax: 'ffffffff-ffff-ffff-ffff-ffffffffffff',
    blocks: 40, traceIds: 100, status: 'ok', attempts: 1, failedBlocks: [], durationMs: 1200,
  }
  return {
    requestId, tenant: 'team-a', requestDigest: 'sha256:00', run: 1, status: 'complete',
    counts: { requested: 10, found: 9, not_found: 1, partial: 0, too_large: 0 },
    resultKey: `results/${requestId}/result.ndjson.gz`, location: `s3://results/results/${requestId}/result.ndjson.gz`,
    shards: Array.from({ length: shards }, (_, i) => ({ ...shard, shard: i })),
    stats: { blocksSearched: 1, bloomRejects: 0, requests: 1, bytesRead: 1, pagesDecoded: 1, rowsDecoded: 1, spans: 1, phaseMs: {}, blocksListed: 1, blocksPrunedByTime: 0, discovery: 'listing', durationMs: {} },
    createdAt: '2026-11-25T00:00:00.000Z',
  }
}
