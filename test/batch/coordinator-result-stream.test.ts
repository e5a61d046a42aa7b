import { describe, expect, it } from 'vitest'
import { runBatch, type CoordinatorDeps } from '../../functions/core/batch/coordinator.js'
import { readResultLines } from '../../functions/core/results/result-lines.js'
import { parseBatchRequest } from '../../functions/core/contract/request.js'
import type { ResultLine } from '../../functions/core/contract/types.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'

const ids = Array.from({ length: 50 }, (_, i) => (i + 1).toString(16).padStart(32, '0'))

/** A memory store whose streamed writes fail after the first chunk. */
class FailingStreamStore extends MemoryStore {
  override async putStream(key: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    for await (const _chunk of body) throw new Error('disk full')
    throw new Error('disk full')
  }
}

/** A memory store that records how each streamed write ended. */
class RecordingStore extends MemoryStore {
  readonly outcomes: string[] = []
  override async putStream(key: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    try {
      await super.putStream(key, body)
      this.outcomes.push(`stored ${key}`)
    } catch (error) {
      this.outcomes.push(`failed: ${(error as Error).message}`)
      throw error
    }
  }
}

// No blocks at all: every ID is not_found, which is enough to exercise the result object's life cycle.
function deps(resultStore: MemoryStore, discover: CoordinatorDeps['discover'] = async () => ({ source: 'listing', blocks: [], skipped: [] })): CoordinatorDeps {
  return {
    tempoStore: new MemoryStore(),
    layout: new TempoLayout(''),
    resultStore,
    resultsPrefix: 'results',
    invoker: { invoke: () => Promise.reject(new Error('no shards expected')) },
    discover,
  }
}

describe('runBatch result object (streamed into the store)', () => {
  it('writes the gzip NDJSON result, then the manifest', async () => {
    const store = new MemoryStore()
    const { manifest, manifestKey } = await runBatch(parseBatchRequest({ tenant: 't', traceIds: ids, requestId: 'r1' }), deps(store))
    const lines: ResultLine[] = []
    for await (const line of readResultLines(store, manifest.resultKey)) lines.push(line)
    expect(lines.map((l) => [l.traceId, l.status])).toEqual(ids.map((id) => [id, 'not_found']))
    expect((await store.get(manifest.resultKey)).subarray(0, 2)).toEqual(Uint8Array.of(0x1f, 0x8b))
    expect(store.keys()).toEqual([manifest.resultKey, manifestKey].sort())
  })

  it('a failing batch aborts the result write: the error propagates, nothing is stored', async () => {
    const store = new RecordingStore()
    const failing = deps(store, () => Promise.reject(new Error('listing failed')))
    await expect(runBatch(parseBatchRequest({ tenant: 't', traceIds: ids, requestId: 'r2' }), failing)).rejects.toThrow('listing failed')
    // The put was ended with the batch's error (not left open: a temp file or a multipart upload would leak).
    expect(store.outcomes).toEqual(['failed: listing failed'])
    expect(store.keys()).toEqual([])
  })

  it('a failing result store fails the batch without a manifest (never hangs)', async () => {
    const store = new FailingStreamStore()
    await expect(runBatch(parseBatchRequest({ tenant: 't', traceIds: ids, requestId: 'r3' }), deps(store))).rejects.toThrow('disk full')
    expect(store.keys()).toEqual([])
  })
})
