import { describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { runBatch, type CoordinatorDeps } from '../../functions/core/batch/coordinator.js'
import { InProcessInvoker } from '../../functions/core/batch/in-process-invoker.js'
import { parseBatchRequest } from '../../functions/core/contract/request.js'
import { readResultLines } from '../../functions/core/results/result-lines.js'
import type { Invoker, ResultLine } from '../../functions/core/contract/types.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import type { ByteRange, ObjectStore } from '../../functions/core/storage/object-store.js'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'
import { backendRoot, loadGoldens, TENANT_LIMITS } from './goldens.js'

sharedFixturesSkipNote('e2e fault handling')

const TENANT = 'tenant-b'
// vParquet4 tenant-b, sorted by block ID: B0 03803a30, B2 3ec27d5b, B1 505c837e.
const B1 = '505c837e-fc6a-52eb-8599-ff445eac7747'

/** Damages one object on the way out (a truncated/garbled data.parquet). */
class CorruptingStore implements ObjectStore {
  readonly description: string
  constructor(
    private readonly inner: ObjectStore,
    private readonly damagedKey: string,
  ) {
    this.description = inner.description
  }
  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    const bytes = await this.inner.get(key, range)
    return key === this.damagedKey ? bytes.map((b) => b ^ 0x5a) : bytes
  }
  head = (key: string) => this.inner.head(key)
  list = (prefix: string) => this.inner.list(prefix)
  listFolders = (prefix: string) => this.inner.listFolders(prefix)
  put = (key: string, body: Uint8Array) => this.inner.put(key, body)
  putStream = (key: string, body: AsyncIterable<Uint8Array>) => this.inner.putStream(key, body)
}

function setup(tempoStore: ObjectStore = new FsStore(backendRoot('vParquet4'))) {
  const layout = new TempoLayout('')
  const resultStore = new MemoryStore()
  const inner = new InProcessInvoker({ tempoStore, layout, resultStore })
  const deps = (invoker: Invoker): CoordinatorDeps => ({
    tempoStore,
    layout,
    resultStore,
    resultsPrefix: 'r',
    invoker,
    minBlocksPerShard: 1,
    readerTimeoutMs: 20_000,
    discovery: { compactedGraceMs: 0 },
  })
  return { inner, deps, resultStore }
}

function unwindowed() {
  return loadGoldens('vParquet4', TENANT).filter((r) => !r.start && !r.end)
}

async function lines(store: ObjectStore, key: string): Promise<Map<string, ResultLine>> {
  const out = new Map<string, ResultLine>()
  for await (const line of readResultLines(store, key)) out.set(line.traceId, line)
  return out
}

describe.skipIf(!hasSharedFixtures)('faults', () => {
  it('retries a reader that throws once; the result is complete', async () => {
    const { inner, deps, resultStore } = setup()
    const calls: number[] = []
    const flaky: Invoker = {
      invoke(job, options) {
        calls.push(job.shard)
        if (job.shard === 1 && calls.filter((s) => s === 1).length === 1) return Promise.reject(new Error('reader crashed'))
        return inner.invoke(job, options)
      },
    }
    const records = unwindowed()
    const request = parseBatchRequest({ tenant: TENANT, traceIds: records.map((r) => r.traceId), requestId: 'retry' }, { tenantMaxBytesPerTrace: TENANT_LIMITS })
    const { manifest } = await runBatch(request, deps(flaky))
    expect(manifest.status).toBe('complete')
    expect(manifest.shards.map((s) => [s.shard, s.status, s.attempts])).toEqual([
      [0, 'ok', 1],
      [1, 'retried', 2],
      [2, 'ok', 1],
    ])
    const got = await lines(resultStore, manifest.resultKey)
    for (const record of records) expect(got.get(record.traceId)?.trace ?? {}).toEqual(record.v2.trace)
  })

  it('a reader that always fails makes its IDs partial (with the reason), never not_found', async () => {
    const { inner, deps, resultStore } = setup()
    const broken: Invoker = { invoke: (job, options) => (job.shard === 2 ? Promise.reject(new Error('out of memory')) : inner.invoke(job, options)) }
    const records = unwindowed()
    const request = parseBatchRequest({ tenant: TENANT, traceIds: records.map((r) => r.traceId), requestId: 'broken' }, { tenantMaxBytesPerTrace: TENANT_LIMITS })
    const { manifest } = await runBatch(request, deps(broken))
    expect(manifest.status).toBe('partial')
    expect(manifest.shards[2]).toMatchObject({ status: 'failed', attempts: 2, error: 'out of memory', blockIdMin: B1 })
    // Every shard searches every unwindowed ID, so every ID is open; traces from the healthy shards still come back.
    expect(manifest.counts).toMatchObject({ requested: records.length, partial: records.length, not_found: 0 })
    const got = await lines(resultStore, manifest.resultKey)
    for (const record of records) {
      const line = got.get(record.traceId)!
      expect(line.status).toBe('partial')
      expect(line.message).toContain(`shard 2 (blocks ${B1}..${B1}) failed: out of memory`)
      if (!record.blocks.includes(B1) && record.v2.status === undefined) expect(line.trace ?? {}).toEqual(record.v2.trace)
    }
  })

  it('a corrupt block is a per-block error in the manifest; IDs it cannot have are still answered', async () => {
    const damaged = `${TENANT}/${B1}/data.parquet`
    const { inner, deps, resultStore } = setup(new CorruptingStore(new FsStore(backendRoot('vParquet4')), damaged))
    const records = unwindowed()
    const request = parseBatchRequest({ tenant: TENANT, traceIds: records.map((r) => r.traceId), requestId: 'corrupt' }, { tenantMaxBytesPerTrace: TENANT_LIMITS })
    const { manifest } = await runBatch(request, deps(inner))
    expect(manifest.status).toBe('partial')
    expect(manifest.shards[2]!.status).toBe('ok')
    expect(manifest.shards[2]!.failedBlocks).toHaveLength(1)
    expect(manifest.shards[2]!.failedBlocks[0]!.blockId).toBe(B1)
    expect(manifest.shards[2]!.failedBlocks[0]!.error).toContain(`${TENANT}/${B1}`)
    const got = await lines(resultStore, manifest.resultKey)
    let answered = 0
    for (const record of records) {
      const line = got.get(record.traceId)!
      if (record.blocks.includes(B1)) {
        expect(line.status).toBe('partial')
        expect(line.message).toContain(B1)
      } else if (line.status !== 'partial') {
        // Not in the damaged block: its bloom filter ruled the ID out, so the answer is final.
        expect(line.trace ?? {}).toEqual(record.v2.trace)
        answered++
      }
    }
    expect(answered).toBeGreaterThan(records.filter((r) => !r.blocks.includes(B1)).length / 2)
  })
})
