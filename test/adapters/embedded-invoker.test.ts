import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EmbeddedInvoker } from '../../functions/adapters/embedded-invoker.js'
import type { ReaderJob } from '../../functions/core/contract/types.js'

const id = (n: number) => n.toString(16).padStart(32, '0')

// No blocks: a reader only writes its (empty) part, which is enough to see where it ran.
function job(shard: number, ids: number): ReaderJob {
  return {
    requestId: 'r', tenant: 't', shard, blockIdMin: '', blockIdMax: '', blocks: [],
    traceIds: Array.from({ length: ids }, (_, i) => id(i + 1)), maxBytesPerTrace: 0, partKey: `parts/${shard}.ndjson`,
  }
}

describe('EmbeddedInvoker', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tempo-batch-invoker-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('runs jobs of up to inProcessMaxIds IDs on the calling thread and starts no worker for them', async () => {
    const invoker = new EmbeddedInvoker({ store: dir, results: dir, workers: 2, inProcessMaxIds: 3 })
    try {
      const summaries = await Promise.all([invoker.invoke(job(0, 1)), invoker.invoke(job(1, 3))])
      expect(summaries.map((s) => s.shard)).toEqual([0, 1])
      expect(await readFile(join(dir, 'parts/1.ndjson'), 'utf8')).toBe('')
      expect(invoker.threadsStarted).toBe(0)
    } finally {
      await invoker.close()
    }
  })

  it('starts workers only as queued jobs need them, up to its limit', { timeout: 60_000 }, async () => {
    const invoker = new EmbeddedInvoker({ store: dir, results: dir, workers: 3, inProcessMaxIds: 0 })
    try {
      expect(invoker.threadsStarted).toBe(0)
      await invoker.invoke(job(2, 1))
      expect(invoker.threadsStarted).toBe(1)
      // The idle worker takes the next job; two at once need a second thread, never a third.
      await Promise.all([invoker.invoke(job(3, 1)), invoker.invoke(job(4, 1))])
      expect(invoker.threadsStarted).toBe(2)
      await Promise.all([2, 3, 4, 5, 6].map((shard) => invoker.invoke(job(shard + 10, 5))))
      expect(invoker.threadsStarted).toBe(3)
    } finally {
      await invoker.close()
    }
  })
})
