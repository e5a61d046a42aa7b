import { beforeAll, describe, expect, it } from 'vitest'
import { runBatch, type CoordinatorDeps } from '../../functions/core/batch/coordinator.js'
import { InProcessInvoker } from '../../functions/core/batch/in-process-invoker.js'
import { RequestConflictError } from '../../functions/core/contract/errors.js'
import { parseBatchRequest } from '../../functions/core/contract/request.js'
import type { Invoker, Manifest, ResultLine } from '../../functions/core/contract/types.js'
import { readResultLines } from '../../functions/core/results/result-lines.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { generateTenant } from '../../functions/generator/generate-tenant.js'

/**
 * A request ID names one request of one tenant. Reusing it must never hand out another tenant's result
 * or the result of a different request, and a `partial` result is retried rather than reused forever.
 */

const tempoStore = new MemoryStore()
const layout = new TempoLayout('')
const generation = { format: 'vParquet4' as const, seed: 11, blocks: 2, tracesPerBlock: 30, rowGroupBytes: 200_000, pageBytes: 8_192, now: new Date('2026-01-15T12:00:00Z') }
let demoIds: string[] = []
let otherIds: string[] = []

beforeAll(async () => {
  demoIds = (await generateTenant(tempoStore, { tenant: 'demo', ...generation })).traceIds.slice(0, 12)
  otherIds = (await generateTenant(tempoStore, { tenant: 'other', ...generation, seed: 12 })).traceIds.slice(0, 3)
})

/** Counts reader invocations; fails the first `failures` of them. */
class CountingInvoker implements Invoker {
  calls = 0
  constructor(
    private readonly inner: Invoker,
    private failures = 0,
  ) {}
  async invoke(...args: Parameters<Invoker['invoke']>): ReturnType<Invoker['invoke']> {
    this.calls++
    if (this.failures > 0) {
      this.failures--
      throw new Error('simulated reader crash')
    }
    return this.inner.invoke(...args)
  }
}

function setup(failures = 0): { deps: CoordinatorDeps; invoker: CountingInvoker; resultStore: MemoryStore } {
  const resultStore = new MemoryStore()
  const invoker = new CountingInvoker(new InProcessInvoker({ tempoStore, layout, resultStore }), failures)
  return { deps: { tempoStore, layout, resultStore, resultsPrefix: 'results', invoker, maxReaders: 1 }, invoker, resultStore }
}

async function lines(store: MemoryStore, manifest: Manifest): Promise<ResultLine[]> {
  const out: ResultLine[] = []
  for await (const line of readResultLines(store, manifest.resultKey)) out.push(line)
  return out
}

describe('request ID reuse', () => {
  it('never crosses tenants: the same request ID for another tenant reads that tenant, not the stored result', async () => {
    const { deps, resultStore } = setup()
    const demo = await runBatch(parseBatchRequest({ tenant: 'demo', traceIds: demoIds, requestId: 'R' }), deps)
    expect(demo.manifest.counts.found).toBe(demoIds.length)

    const other = await runBatch(parseBatchRequest({ tenant: 'other', traceIds: [otherIds[0]!], requestId: 'R' }), deps)
    expect(other.reused).toBe(false)
    expect(other.manifest.tenant).toBe('other')
    expect(other.manifest.counts).toMatchObject({ requested: 1, found: 1 })
    const otherLines = await lines(resultStore, other.manifest)
    expect(otherLines.map((l) => l.traceId)).toEqual([otherIds[0]])
    // Each tenant's objects live under its own folder.
    expect(demo.manifestKey).toBe('results/demo/R/manifest.json')
    expect(other.manifestKey).toBe('results/other/R/manifest.json')
    expect(await resultStore.list('results/other/')).not.toContainEqual(expect.objectContaining({ key: expect.stringContaining('demo') }))
  })

  it('answers the same request from its manifest without reading again', async () => {
    const { deps, invoker } = setup()
    const request = parseBatchRequest({ tenant: 'demo', traceIds: demoIds, requestId: 'same' })
    const first = await runBatch(request, deps)
    const calls = invoker.calls
    // The same request written differently (other order, case, duplicates) is the same request.
    const again = await runBatch(parseBatchRequest({ tenant: 'demo', traceIds: [...demoIds].reverse().map((id) => id.toUpperCase()).concat(demoIds[0]!), requestId: 'same' }), deps)
    expect(again.reused).toBe(true)
    expect(again.manifest).toEqual(first.manifest)
    expect(invoker.calls).toBe(calls)
  })

  it.each([
    // Functions: the IDs exist only once beforeAll has generated the tenant.
    ['other IDs', () => ({ traceIds: demoIds.slice(1) })],
    ['a request window', () => ({ traceIds: demoIds, start: 1, end: 2_000_000_000 })],
    ['another size limit', () => ({ traceIds: demoIds, maxBytesPerTrace: 1000 })],
  ])('refuses %s under a used request ID with RequestConflictError, reading nothing', async (_what, changed) => {
    const { deps, invoker } = setup()
    await runBatch(parseBatchRequest({ tenant: 'demo', traceIds: demoIds, requestId: 'used' }), deps)
    const calls = invoker.calls
    const attempt = runBatch(parseBatchRequest({ tenant: 'demo', requestId: 'used', ...changed() }), deps)
    await expect(attempt).rejects.toBeInstanceOf(RequestConflictError)
    await expect(attempt).rejects.toMatchObject({ field: 'requestId', message: expect.stringContaining('use a new request ID') })
    expect(invoker.calls).toBe(calls)
  })

  it('refuses a stored manifest that carries no request digest (it cannot prove it is the same request)', async () => {
    const { deps, resultStore } = setup()
    const { manifest, manifestKey } = await runBatch(parseBatchRequest({ tenant: 'demo', traceIds: demoIds, requestId: 'legacy' }), deps)
    const { requestDigest: _dropped, ...legacy } = manifest
    await resultStore.put(manifestKey, Buffer.from(JSON.stringify(legacy)))
    await expect(runBatch(parseBatchRequest({ tenant: 'demo', traceIds: demoIds, requestId: 'legacy' }), deps)).rejects.toBeInstanceOf(RequestConflictError)
  })

  it('retries a partial result: the same request runs again in a new run folder and reports what changed', async () => {
    // maxReaders 1: one shard; it fails on both attempts of the first run, then succeeds.
    const { deps, invoker, resultStore } = setup(2)
    const request = parseBatchRequest({ tenant: 'demo', traceIds: demoIds, requestId: 'flaky' })
    const first = await runBatch(request, deps)
    expect(first.manifest).toMatchObject({ status: 'partial', run: 1, counts: { partial: demoIds.length } })
    expect(first.manifest.rerun).toBeUndefined()

    const second = await runBatch(request, deps)
    expect(second.reused).toBe(false)
    expect(second.manifest).toMatchObject({ status: 'complete', run: 2, counts: { found: demoIds.length, partial: 0 } })
    expect(second.manifest.rerun).toEqual({
      previousRun: 1,
      previousStatus: 'partial',
      previousCounts: first.manifest.counts,
      previousCreatedAt: first.manifest.createdAt,
      changed: demoIds.length,
      transitions: { 'partial->found': demoIds.length },
    })
    expect(second.manifest.resultKey).toBe('results/demo/flaky/run-2/result.ndjson.gz')
    expect((await lines(resultStore, second.manifest)).every((l) => l.status === 'found')).toBe(true)
    // The first run's result is left as it was (a reader of the old manifest never sees a mix).
    expect((await lines(resultStore, first.manifest)).every((l) => l.status === 'partial')).toBe(true)

    const calls = invoker.calls
    const third = await runBatch(request, deps)
    expect(third).toMatchObject({ reused: true, manifest: { run: 2 } })
    expect(invoker.calls).toBe(calls)
  })

  it('still retries when the previous result cannot be read, and says so', async () => {
    const { deps, resultStore } = setup(2)
    const request = parseBatchRequest({ tenant: 'demo', traceIds: demoIds.slice(0, 2), requestId: 'lost' })
    const first = await runBatch(request, deps)
    await resultStore.put(first.manifest.resultKey, Buffer.from('not json\n'))
    const second = await runBatch(request, deps)
    expect(second.manifest.status).toBe('complete')
    expect(second.manifest.rerun?.previousUnreadable).toBeTruthy()
  })
})
