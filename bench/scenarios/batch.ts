import { mkdir, writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { dirname } from 'node:path'
import { EmbeddedInvoker } from '../../functions/adapters/embedded-invoker.js'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { runBatch, type CoordinatorDeps } from '../../functions/core/batch/coordinator.js'
import { InProcessInvoker } from '../../functions/core/batch/in-process-invoker.js'
import { parseBatchRequest } from '../../functions/core/contract/request.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { benchDiscoveryOptions, openBenchStore, type ScenarioResult, type ScenarioSpec } from '../common.js'
import { breakdownOf } from '../profile/cpu-profile.js'
import { profiled } from '../profile/inspector.js'

/**
 * Scenario 1 and 6: one batch through the coordinator as `tempo-batch fetch` wires it (shards of one
 * or more blocks, readers with four blocks in flight), readers on the calling thread. With `pool`, local
 * files use the embedded worker pool instead (the simulated S3 store cannot cross into worker threads:
 * they open stores from URLs). The profile scenario is the batch with readers in-process under V8's CPU
 * profiler (the measured request only), reporting its CPU and where it went.
 */
export async function runBatchScenario(spec: ScenarioSpec): Promise<ScenarioResult> {
  const { counting } = openBenchStore(spec)
  const layout = new TempoLayout('')
  const workers = Math.max(1, availableParallelism())
  const resultStore = new FsStore(spec.scratch)
  const pool = spec.store === 'local' && spec.pool && !spec.oneReader && !spec.profileFile ? new EmbeddedInvoker({ store: spec.root, results: spec.scratch, workers }) : undefined
  const deps: CoordinatorDeps = {
    tempoStore: counting,
    layout,
    resultStore,
    resultsPrefix: 'results',
    invoker: pool ?? new InProcessInvoker({ tempoStore: counting, layout, resultStore }),
    maxReaders: spec.oneReader ? 1 : workers * 4,
    invokeConcurrency: workers * 2,
    minBlocksPerShard: 1,
    discovery: await benchDiscoveryOptions(spec.root, spec.tenant),
  }
  const request = parseBatchRequest({ tenant: spec.tenant, traceIds: spec.ids, requestId: `bench-${process.pid}-${Date.now()}` })
  try {
    // Warm-up (not measured): worker threads load their modules, the JIT sees the bloom path once.
    await runBatch(parseBatchRequest({ tenant: spec.tenant, traceIds: ['0'.repeat(31) + '1'], requestId: `warm-${process.pid}` }), deps)
    counting.reset()
    const started = performance.now()
    const cpuBefore = process.cpuUsage()
    const measured = spec.profileFile ? await profiled(() => runBatch(request, deps)) : { result: await runBatch(request, deps), profile: undefined }
    const { manifest } = measured.result
    const wallMs = performance.now() - started
    const cpu = process.cpuUsage(cpuBefore)
    const own = counting.counts()
    // With the pool, readers count their own requests in worker threads; the coordinator's counter saw discovery only.
    const requests = own.requests + (pool ? manifest.stats.requests : 0)
    const bytesRead = own.bytesRead + (pool ? manifest.stats.bytesRead : 0)
    let profile: ScenarioResult['profile']
    if (measured.profile && spec.profileFile) {
      await mkdir(dirname(spec.profileFile), { recursive: true })
      await writeFile(spec.profileFile, JSON.stringify(measured.profile))
      profile = { cpuMs: (cpu.user + cpu.system) / 1000, breakdown: breakdownOf([measured.profile]), file: spec.profileFile }
    }
    return {
      profile,
      label: spec.label,
      scenario: spec.scenario,
      store: spec.store,
      ids: spec.ids.length,
      found: manifest.counts.found,
      wallMs,
      requests,
      bytesRead,
      spans: manifest.stats.spans,
      notes: [
        `${manifest.shards.length} shard(s), ${pool ? `${workers} worker threads` : 'readers in-process'}, ${manifest.stats.blocksSearched} blocks searched, ${manifest.stats.bloomRejects} bloom rejects`,
        `phases ms: ${JSON.stringify(manifest.stats.durationMs)}`,
        ...outcomeNotes(manifest),
      ],
    }
  } finally {
    await pool?.close()
  }
}

/** Partial results and failed shards, which make a row's numbers suspect: never hidden. */
export function outcomeNotes(manifest: { counts: { partial: number; too_large: number }; shards: { status: string; error?: string }[] }): string[] {
  const notes: string[] = []
  if (manifest.counts.partial > 0 || manifest.counts.too_large > 0) notes.push(`PARTIAL: ${manifest.counts.partial} partial, ${manifest.counts.too_large} too large`)
  const failed = manifest.shards.filter((s) => s.status !== 'ok')
  if (failed.length > 0) notes.push(`SHARDS NOT OK: ${failed.map((s) => `${s.status}${s.error ? ` (${s.error.slice(0, 120)})` : ''}`).join(', ')}`)
  return notes
}
