import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { runBatch } from '../../functions/core/batch/coordinator.js'
import { InProcessInvoker } from '../../functions/core/batch/in-process-invoker.js'
import { StorageError } from '../../functions/core/contract/errors.js'
import { parseBatchRequest } from '../../functions/core/contract/request.js'
import type { Invoker, ResultLine } from '../../functions/core/contract/types.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import type { ObjectStore } from '../../functions/core/storage/object-store.js'
import { memoryBatchDeps, resultLines } from '../support/memory-batch.js'
import { writeSmallTenant } from '../support/small-tenant.js'
import { RecordingStore } from './support/recording-store.js'

/**
 * Issue 11, results: a result is never seen half-written (parts complete or absent, the manifest written
 * last, no temporary files left), and a request ID run again (after a failure, after a partial result,
 * or twice at once) never duplicates spans or mixes two runs: its answer is the clean one.
 */

const tempo = new MemoryStore()
let ids: string[] = []
let clean: ResultLine[] = []
let work: string

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tempo-batch-results-'))
  ids = (await writeSmallTenant(tempo, 'demo', 171, { blocks: 3 })).traceIds.slice(0, 30)
  const deps = memoryBatchDeps(tempo)
  const { manifest } = await runBatch(parseBatchRequest({ tenant: 'demo', traceIds: ids }), deps)
  clean = await resultLines(deps.resultStore, manifest)
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

/** Fails the streamed write of keys `failing` picks after its first chunk (a crash or a lost connection mid-write). */
class FailingWrites extends FsStore {
  constructor(root: string, private failing: (key: string) => boolean) {
    super(root)
  }
  heal(): void {
    this.failing = () => false
  }
  override putStream(key: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    if (!this.failing(key)) return super.putStream(key, body)
    async function* cut(): AsyncIterable<Uint8Array> {
      for await (const chunk of body) {
        yield chunk
        throw new StorageError(key, 'connection lost mid-write (injected)')
      }
    }
    return super.putStream(key, cut())
  }
  override put(key: string, bytes: Uint8Array): Promise<void> {
    if (this.failing(key)) return Promise.reject(new StorageError(key, 'write failed (injected)'))
    return super.put(key, bytes)
  }
}

async function files(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return []
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort()
}

function depsOver(resultStore: ObjectStore) {
  const layout = new TempoLayout('')
  return memoryBatchDeps(tempo, { resultStore, invoker: new InProcessInvoker({ tempoStore: tempo, layout, resultStore }) })
}

describe('results are never half-written, and runs never mix', () => {
  it.each([
    ['the result', (key: string) => key.endsWith('result.ndjson.gz')],
    ['the manifest', (key: string) => key.endsWith('manifest.json')],
  ])('a write of %s failing midway leaves no manifest and no half object; the same request ID then gives the clean answer', async (_name, failing) => {
    const root = join(work, `fail-${_name.length}`)
    const store = new FailingWrites(root, failing)
    const request = parseBatchRequest({ tenant: 'demo', traceIds: ids, requestId: 'R' })
    await expect(runBatch(request, depsOver(store))).rejects.toThrow(StorageError)
    const left = await files(root)
    expect(left.filter((f) => f.endsWith('manifest.json'))).toEqual([])
    expect(left.filter((f) => f.includes('.tmp-'))).toEqual([])
    expect(left.filter((f) => f.endsWith('result.ndjson.gz'))).toEqual(failing('result.ndjson.gz') ? [] : ['results/demo/R/run-1/result.ndjson.gz'])

    store.heal()
    const { manifest, reused } = await runBatch(request, depsOver(store))
    expect(reused).toBe(false)
    expect(manifest.status).toBe('complete')
    expect(await resultLines(store, manifest)).toEqual(clean)
  })

  it('a reader whose part write fails midway is retried; no half part is read, the answer is the clean one', async () => {
    const root = join(work, 'part-fail')
    let failures = 1
    const store = new FailingWrites(root, (key) => key.includes('/parts/') && failures-- > 0)
    const { manifest } = await runBatch(parseBatchRequest({ tenant: 'demo', traceIds: ids }), depsOver(store))
    expect(manifest.status).toBe('complete')
    expect(manifest.shards.filter((s) => s.status === 'retried')).toHaveLength(1)
    expect(await resultLines(store, manifest)).toEqual(clean)
    expect((await files(root)).filter((f) => f.includes('.tmp-'))).toEqual([])
  })

  it('a partial result run again reads none of the first run\'s parts and duplicates no span', async () => {
    const results = new RecordingStore(new MemoryStore())
    const deps = memoryBatchDeps(tempo, { resultStore: results })
    let fail = true
    const inner = deps.invoker
    const flaky: Invoker = { invoke: (job, options) => (fail && job.shard === 1 ? Promise.reject(new Error('reader lost')) : inner.invoke(job, options)) }
    const request = parseBatchRequest({ tenant: 'demo', traceIds: ids, requestId: 'again' })
    const first = await runBatch(request, { ...deps, invoker: flaky })
    expect(first.manifest.status).toBe('partial')
    fail = false
    results.reset()
    const second = await runBatch(request, deps)
    expect(second.manifest).toMatchObject({ run: 2, status: 'complete' })
    expect(results.calls.filter((c) => c.key.includes('/run-1/parts/'))).toEqual([])
    expect(await resultLines(results, second.manifest)).toEqual(clean)
  })

  it('the same request twice at once: one run, the other reuses it; one answer, the clean one', async () => {
    const results = new RecordingStore(new MemoryStore())
    const deps = memoryBatchDeps(tempo, { resultStore: results })
    let invocations = 0
    const inner = deps.invoker
    const counting: Invoker = { invoke: (job, options) => (invocations++, inner.invoke(job, options)) }
    const request = parseBatchRequest({ tenant: 'demo', traceIds: ids, requestId: 'twice' })
    const [a, b] = await Promise.all([runBatch(request, { ...deps, invoker: counting }), runBatch(request, { ...deps, invoker: counting })])
    expect([a.reused, b.reused].sort()).toEqual([false, true])
    expect(a.manifest.resultKey).toBe(b.manifest.resultKey)
    expect(invocations).toBe(a.manifest.shards.length)
    expect(await resultLines(results, a.manifest)).toEqual(clean)
  })
})
