import { describe, it, expect } from 'vitest'
import { invokeShards } from '../../functions/core/batch/invoke-shards.js'
import { mapLimit } from '../../functions/core/batch/map-limit.js'
import { ResultKeys } from '../../functions/core/results/keys.js'
import type { Invoker, ReaderJob, ReaderSummary } from '../../functions/core/contract/types.js'
import { emptyStats } from '../../functions/core/batch/stats.js'

function job(shard: number): ReaderJob {
  return { requestId: 'r', tenant: 't', shard, blockIdMin: 'a', blockIdMax: 'b', blocks: [], traceIds: ['1'], maxBytesPerTrace: 0, partKey: `p${shard}` }
}

function summary(j: ReaderJob): ReaderSummary {
  return { shard: j.shard, partKey: j.partKey, tracesFound: 0, failedBlocks: [], stats: emptyStats(), durationMs: 1 }
}

describe('invokeShards', () => {
  it('retries a failing shard once, then reports it failed with the reason', async () => {
    const calls = new Map<number, number>()
    const invoker: Invoker = {
      async invoke(j) {
        const n = (calls.get(j.shard) ?? 0) + 1
        calls.set(j.shard, n)
        if (j.shard === 1 && n === 1) throw new Error('flaky once')
        if (j.shard === 2) throw new Error('always broken')
        return summary(j)
      },
    }
    let done = 0
    const results = await invokeShards(invoker, [job(0), job(1), job(2)], { concurrency: 2, timeoutMs: 1000, onShardDone: () => done++ })
    expect(results.map((r) => [r.outcome.status, r.outcome.attempts, r.outcome.error])).toEqual([
      ['ok', 1, undefined],
      ['retried', 2, undefined],
      ['failed', 2, 'always broken'],
    ])
    expect(results[2]!.summary).toBeUndefined()
    expect(done).toBe(3)
  })

  it('times out a hanging reader, aborts it and retries', async () => {
    let attempts = 0
    const aborted: boolean[] = []
    const invoker: Invoker = {
      invoke(j, options) {
        attempts++
        if (attempts === 1) {
          return new Promise((_, reject) => options?.signal?.addEventListener('abort', () => { aborted.push(true); reject(new Error('aborted')) }))
        }
        return Promise.resolve(summary(j))
      },
    }
    const [result] = await invokeShards(invoker, [job(0)], { concurrency: 1, timeoutMs: 50 })
    expect(result!.outcome.status).toBe('retried')
    expect(aborted).toEqual([true])
  })

  it('reports a reader that always hangs as timed out', async () => {
    const invoker: Invoker = { invoke: () => new Promise(() => {}) }
    const [result] = await invokeShards(invoker, [job(3)], { concurrency: 1, timeoutMs: 20 })
    expect(result!.outcome).toMatchObject({ status: 'failed', attempts: 2, error: 'coordinator: reader for shard 3 timed out after 20 ms' })
  })
})

describe('mapLimit and keys', () => {
  it('bounds concurrency and keeps order', async () => {
    let running = 0
    let peak = 0
    const out = await mapLimit([5, 1, 3, 2, 4], 2, async (x) => {
      running++
      peak = Math.max(peak, running)
      await new Promise((r) => setTimeout(r, x))
      running--
      return x * 10
    })
    expect(out).toEqual([50, 10, 30, 20, 40])
    expect(peak).toBe(2)
  })

  it('lays out result keys under the tenant and request ID, one folder per run', () => {
    const keys = new ResultKeys('results/', 'demo', 'req-1')
    expect([keys.manifest, keys.result, keys.part(3), keys.jobIds(12)]).toEqual([
      'results/demo/req-1/manifest.json',
      'results/demo/req-1/run-1/result.ndjson.gz',
      'results/demo/req-1/run-1/parts/00003.ndjson.gz',
      'results/demo/req-1/run-1/jobs/00012.json',
    ])
    expect(keys.forRun(2).result).toBe('results/demo/req-1/run-2/result.ndjson.gz')
    expect(keys.forRun(2).manifest).toBe(keys.manifest)
    expect(() => new ResultKeys('', 'demo', '../x')).toThrow(/requestId/)
    expect(() => new ResultKeys('', '..', 'req-1')).toThrow(/tenant/)
  })

  it('recognises only its own part and ID-list keys', () => {
    const keys = new ResultKeys('results', 'demo', 'req-1')
    expect(keys.ownsPartKey('results/demo/req-1/run-1/parts/00003.ndjson.gz')).toBe(true)
    expect(keys.ownsPartKey('results/demo/req-1/run-7/parts/00120.ndjson.gz')).toBe(true)
    // Uncompressed parts (compressParts: false) are the same shard's part.
    expect(keys.ownsPartKey('results/demo/req-1/run-1/parts/00003.ndjson')).toBe(true)
    expect(keys.ownsJobIdsKey('results/demo/req-1/run-2/jobs/00012.json')).toBe(true)
    for (const key of [
      'results/other/req-1/run-1/parts/00003.ndjson.gz',
      'results/demo/req-2/run-1/parts/00003.ndjson.gz',
      'results/demo/req-1/manifest.json',
      'results/demo/req-1/run-1/result.ndjson.gz',
      'results/demo/req-1/run-1/parts/../../../other/req-1/manifest.json',
      'results/demo/req-1/run-0/parts/00003.ndjson.gz',
      'results/demo/req-1/run-1/jobs/00003.json',
      'results/demo/req-1/run-1/parts/00003.ndjson.zip',
    ]) expect(keys.ownsPartKey(key), key).toBe(false)
    expect(keys.ownsJobIdsKey('results/demo/req-1/run-1/parts/00003.ndjson.gz')).toBe(false)
    expect(keys.ownsJobIdsKey('results/other/req-1/run-1/jobs/00003.json')).toBe(false)
  })
})
