import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EmbeddedInvoker } from '../../functions/adapters/embedded-invoker.js'
import type { ReaderJob } from '../../functions/core/contract/types.js'

/**
 * Issue 14, defect 2: `--concurrency 1000` started 1,000 worker threads at once. The pool now starts a
 * thread only for a job that waits while every thread is busy: never more than the jobs (shards).
 */

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tempo-batch-threads-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

function emptyJob(shard: number): ReaderJob {
  return { requestId: 'r', tenant: 't', shard, blockIdMin: '', blockIdMax: '', blocks: [], traceIds: [], maxBytesPerTrace: 1000, partKey: `t/r/run-1/parts/${String(shard).padStart(5, '0')}.ndjson.gz` }
}

describe('EmbeddedInvoker threads', () => {
  it('starts no thread before a job, and no more threads than jobs in flight', async () => {
    const invoker = new EmbeddedInvoker({ store: work, results: work, workers: 16 })
    try {
      expect(invoker.threads).toBe(0)
      const summaries = await Promise.all([invoker.invoke(emptyJob(0)), invoker.invoke(emptyJob(1))])
      expect(summaries.map((s) => s.shard)).toEqual([0, 1])
      expect(invoker.peakThreads).toBe(2)
      // Idle threads are reused, not replaced.
      await invoker.invoke(emptyJob(2))
      expect(invoker.peakThreads).toBe(2)
    } finally {
      await invoker.close()
    }
  })
})
