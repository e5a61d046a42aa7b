import { executeBatch } from '../../functions/core/batch/coordinator.js'
import { InProcessInvoker } from '../../functions/core/batch/in-process-invoker.js'
import { mapLimit } from '../../functions/core/batch/map-limit.js'
import { parseBatchRequest } from '../../functions/core/contract/request.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { traceToJson } from '../../functions/core/otlp/json.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { benchDiscoveryOptions, openBenchStore, type ScenarioResult, type ScenarioSpec } from '../common.js'

/** Lookups in flight at once, as a user script or Grafana panel would issue them. */
const PARALLEL = 5

/**
 * Scenario 2: what users do today, one trace ID per request, five at a time. Each lookup is
 * independent, as a query to Tempo is: fresh discovery (no cached block list), and a reader per block
 * range reading bloom, footer, page index and pages for its one ID; nothing is shared between lookups.
 * The same core as the batch, so the difference is batching alone.
 */
export async function runSingleScenario(spec: ScenarioSpec): Promise<ScenarioResult> {
  const { counting } = openBenchStore(spec)
  const layout = new TempoLayout('')
  const discovery = await benchDiscoveryOptions(spec.root, spec.tenant)
  let found = 0
  let spans = 0
  let jsonBytes = 0
  let partial = 0
  let shardsNotOk = 0
  const errors = new Set<string>()
  const started = performance.now()
  await mapLimit(spec.ids, PARALLEL, async (id, i) => {
    const resultStore = new MemoryStore()
    const request = parseBatchRequest({ tenant: spec.tenant, traceIds: [id], requestId: `single-${i}` })
    const executed = await executeBatch(
      request,
      {
        tempoStore: counting,
        layout,
        resultStore,
        resultsPrefix: 'results',
        invoker: new InProcessInvoker({ tempoStore: counting, layout, resultStore }),
        // Like Tempo's query sharding: every block searched concurrently for the one ID.
        maxReaders: 16,
        minBlocksPerShard: 1,
        discovery,
      },
      async (result) => {
        if (result.trace) jsonBytes += traceToJson(result.trace).length
      },
    )
    found += executed.counts.found
    partial += executed.counts.partial + executed.counts.too_large
    for (const shard of executed.shards) {
      if (shard.status === 'ok') continue
      shardsNotOk++
      if (shard.error) errors.add(shard.error.slice(0, 120))
    }
    spans += executed.stats.spans
  })
  const wallMs = performance.now() - started
  const counts = counting.counts()
  return {
    label: spec.label,
    scenario: 'single',
    store: spec.store,
    ids: spec.ids.length,
    found,
    wallMs,
    requests: counts.requests,
    bytesRead: counts.bytesRead,
    spans,
    notes: [
      `${PARALLEL} lookups in parallel, each with fresh discovery and its own readers; ${(jsonBytes / 1e6).toFixed(1)} MB of trace JSON produced`,
      ...(partial > 0 ? [`PARTIAL: ${partial} IDs partial or too large`] : []),
      ...(shardsNotOk > 0 ? [`SHARDS NOT OK: ${shardsNotOk} (${[...errors].join(', ')})`] : []),
    ],
  }
}
