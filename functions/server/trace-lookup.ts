import { randomUUID } from 'node:crypto'
import { executeBatch, type ExecutedBatch } from '../core/batch/coordinator.js'
import { InProcessInvoker } from '../core/batch/in-process-invoker.js'
import { parseBatchRequest } from '../core/contract/request.js'
import type { DiscoveredBlocks, DiscoveryOptions } from '../core/blocks/discovery.js'
import type { TempoLayout } from '../core/storage/layout.js'
import type { MergedTrace } from '../core/merge/merge-parts.js'
import type { TraceFinalizer } from '../core/combine/finalize.js'
import { InvalidRequestError } from '../core/contract/errors.js'
import { parseTraceId } from '../core/contract/trace-id.js'
import { MemoryStore } from '../core/storage/memory-store.js'
import { memoryParts } from '../core/results/part-exchange.js'
import type { BlockCache } from '../core/search/block-cache.js'
import type { ObjectStore } from '../core/storage/object-store.js'

/** Where single-trace lookups read from. */
export interface TraceLookupDeps {
  tempoStore: ObjectStore
  layout: TempoLayout
  discovery?: DiscoveryOptions
  /** A shared (cached) block list; see `cachedDiscovery`. */
  discover?: (tenant: string) => Promise<DiscoveredBlocks>
  tenantMaxBytesPerTrace?: Record<string, number>
  maxBytesPerTrace?: number
  /** Bloom shards and footers kept between lookups. */
  cache?: BlockCache
  /** Runs the lookup's batch (after the request is validated); the server's back-pressure (`Admission.run`). */
  admit?: <T>(ids: number, work: () => Promise<T>) => Promise<T>
}

/** One trace as the batch path finds it, plus the bytes read (Tempo's `inspectedBytes`) and where the time went. */
export interface LookupResult {
  result: MergedTrace
  bytesRead: number
  stats: ExecutedBatch['stats']
}

/**
 * Tempo's trace-by-ID through the batch core: a batch of one, read on this thread with its parts handed
 * over in memory, so nothing is written or serialised. With `model: false` the result carries the trace
 * as the readers' JSON only (`traceJson`). Throws `InvalidRequestError` for a bad ID or window.
 * `finalize` chooses how the combined trace is finished (default: as Tempo's query-frontend does; any
 * other finaliser builds the model). With `deadline` (unix ms) its readers stop reading there, so a lookup
 * whose caller has given up does not keep the store and a core busy.
 */
export async function lookupTrace(
  query: { tenant: string; traceId: string; start?: number; end?: number },
  deps: TraceLookupDeps,
  options: { model?: boolean; finalize?: TraceFinalizer; deadline?: number } = {},
): Promise<LookupResult> {
  // Name the URL's own fields in errors (not the batch request's).
  parseTraceId(query.traceId, 'traceId')
  if (query.start !== undefined && query.end !== undefined && query.end <= query.start) {
    throw new InvalidRequestError('end', `must be greater than start (${query.start})`)
  }
  const request = parseBatchRequest(
    { tenant: query.tenant, traces: [{ id: query.traceId, start: query.start, end: query.end }], requestId: randomUUID() },
    { tenantMaxBytesPerTrace: deps.tenantMaxBytesPerTrace, limits: deps.maxBytesPerTrace !== undefined ? { maxBytesPerTrace: deps.maxBytesPerTrace } : {} },
  )
  const resultStore = new MemoryStore()
  const parts = memoryParts()
  let found: MergedTrace | undefined
  const admit = deps.admit ?? ((_ids, work) => work())
  const executed = await admit(1, () => executeBatch(
    request,
    {
      tempoStore: deps.tempoStore,
      layout: deps.layout,
      resultStore,
      resultsPrefix: '',
      invoker: new InProcessInvoker({ tempoStore: deps.tempoStore, layout: deps.layout, resultStore, blockConcurrency: 8, parts, ...(deps.cache ? { cache: deps.cache } : {}) }),
      parts,
      needModel: options.model ?? true,
      maxReaders: 1,
      discovery: deps.discovery,
      ...(deps.discover ? { discover: deps.discover } : {}),
      ...(options.finalize ? { finalize: options.finalize } : {}),
      ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
    },
    async (result) => {
      found = result
    },
  ))
  return { result: found ?? { traceId: request.traces[0]!.traceId, status: 'not_found' }, bytesRead: executed.stats.bytesRead, stats: executed.stats }
}
