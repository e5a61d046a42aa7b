import { discoverBlocks, type DiscoveredBlocks, type DiscoveryOptions } from '../blocks/discovery.js'
import { ObjectNotFoundError, RequestConflictError } from '../contract/errors.js'
import { requestDigest } from '../contract/request-digest.js'
import type { TempoLayout } from '../storage/layout.js'
import { mergeParts, type MergedTrace } from '../merge/merge-parts.js'
import { traceToJson } from '../otlp/json.js'
import type { TraceFinalizer } from '../combine/finalize.js'
import { planBatch } from '../plan/plan-batch.js'
import type { ObjectStore } from '../storage/object-store.js'
import { invokeShards } from './invoke-shards.js'
import { SingleFlight } from './single-flight.js'
import { batchWarnings } from './batch-warnings.js'
import { failureReasons } from './failure-reasons.js'
import { ResultKeys } from '../results/keys.js'
import { openNdjsonObject } from '../results/ndjson.js'
import { storedParts, type PartExchange } from '../results/part-exchange.js'
import { addStats, emptyStats } from './stats.js'
import { formatResultLine } from '../results/result-lines.js'
import { StatusChanges } from '../results/status-changes.js'
import type { BatchRequest, BatchWarning, Invoker, Manifest, ReaderJob, ShardOutcome, TraceStatus } from '../contract/types.js'

/** Everything the coordinator talks to, and its knobs. */
export interface CoordinatorDeps {
  tempoStore: ObjectStore
  layout: TempoLayout
  resultStore: ObjectStore
  resultsPrefix: string
  invoker: Invoker
  /** Most shards (reader invocations) per request (default 100). */
  maxReaders?: number
  /** Readers running at once (default: maxReaders). */
  invokeConcurrency?: number
  /** Per-attempt reader timeout, from when the call is sent (default 5 minutes). */
  readerTimeoutMs?: number
  /**
   * Unix milliseconds when whoever waits for this batch gives up (a Lambda's end, API Gateway's limit):
   * no reader is called, waited for or left running past it (readers get it in their jobs).
   */
  deadline?: number
  /** Aborts the batch: readers in flight are abandoned and nothing is written; `runBatch` rejects. */
  signal?: AbortSignal
  discovery?: DiscoveryOptions
  /** Replaces discovery (e.g. a cached block list, as Tempo's poller keeps one). */
  discover?: (tenant: string) => Promise<DiscoveredBlocks>
  onProgress?: (p: { shardsDone: number; shards: number }) => void
  /** Planner knobs (defaults 15 and 50 blocks per shard). */
  minBlocksPerShard?: number
  maxBlocksPerShard?: number
  /** False when results are only written as JSON (lets the merge skip decoding single-shard traces). */
  needModel?: boolean
  /**
   * Readers gzip their parts (default true). Worth it where the coordinator pulls parts over a network
   * (S3: ~10x fewer bytes); on a local disk or in memory it only costs both sides CPU.
   */
  compressParts?: boolean
  /** Where readers leave their parts (default: NDJSON objects in `resultStore`); the invoker's readers must use the same. */
  parts?: PartExchange
  /** How each combined trace is finished (see `mergeParts`; default: as Tempo's query-frontend). */
  finalize?: TraceFinalizer
  /** Jobs whose JSON exceeds this get their ID lists offloaded to the result store (default 200,000). */
  maxJobPayloadBytes?: number
}

/** What `runBatch` returns. */
export interface BatchOutcome {
  manifest: Manifest
  manifestKey: string
  reused: boolean
}

/**
 * Run one batch end to end: discover blocks, plan shards, fan out to readers (retrying each failed
 * shard once), merge their sorted parts by trace ID, and write the NDJSON result and the manifest.
 *
 * Idempotent per tenant and request ID: a request whose manifest exists is answered from it without
 * reading anything, but only when it is the same request (same digest); a different request under the
 * same ID is refused with `RequestConflictError`. A stored `partial` result is not final: the same
 * request runs again (a new run, in its own folder) and its manifest reports what changed.
 */
export async function runBatch(request: BatchRequest, deps: CoordinatorDeps): Promise<BatchOutcome> {
  const firstRun = new ResultKeys(deps.resultsPrefix, request.tenant, request.requestId)
  // Concurrent calls for one request ID (a client retrying while the first call runs) take turns.
  return runsByRequest.run(`${deps.resultStore.description}\u0000${firstRun.manifest}`, () => runBatchOnce(request, deps, firstRun))
}

const runsByRequest = new SingleFlight()

async function runBatchOnce(request: BatchRequest, deps: CoordinatorDeps, firstRun: ResultKeys): Promise<BatchOutcome> {
  const digest = requestDigest(request)
  const existing = await readManifest(deps.resultStore, firstRun.manifest)
  if (existing) {
    if (existing.tenant !== request.tenant || existing.requestDigest !== digest) throw new RequestConflictError(request.requestId, request.tenant)
    if (existing.status === 'complete') return { manifest: existing, manifestKey: firstRun.manifest, reused: true }
  }
  const keys = firstRun.forRun((existing?.run ?? 0) + 1)
  const changes = existing ? new StatusChanges(deps.resultStore, existing) : undefined

  // The result streams into the store while the merge runs: memory holds a part buffer, not the result.
  const writer = openNdjsonObject(deps.resultStore, keys.result, { compress: true })
  let executed: ExecutedBatch
  try {
    executed = await executeBatch(
      request,
      { ...deps, needModel: false },
      async (result) => {
        await changes?.add(result.traceId, result.status)
        const line = formatResultLine(result, result.traceJson ?? (result.trace ? traceToJson(result.trace) : undefined))
        await writer.write(line)
      },
      keys,
    )
  } catch (error) {
    await writer.abort(error)
    throw error
  } finally {
    await changes?.close()
  }
  const writeStarted = performance.now()
  await writer.finish()
  executed.stats.durationMs.write = Math.round(performance.now() - writeStarted)
  executed.stats.durationMs.total = (executed.stats.durationMs.total ?? 0) + executed.stats.durationMs.write

  const manifest: Manifest = {
    requestId: request.requestId,
    tenant: request.tenant,
    requestDigest: digest,
    run: keys.run,
    ...(changes ? { rerun: changes.report() } : {}),
    status: executed.counts.partial > 0 ? 'partial' : 'complete',
    counts: { requested: request.traces.length, ...executed.counts },
    resultKey: keys.result,
    location: `${deps.resultStore.description.replace(/\/$/, '')}/${keys.result}`,
    warnings: executed.warnings,
    shards: executed.shards,
    stats: executed.stats,
    createdAt: new Date().toISOString(),
  }
  await deps.resultStore.put(keys.manifest, Buffer.from(JSON.stringify(manifest, null, 1)), { contentType: 'application/json' })
  return { manifest, manifestKey: keys.manifest, reused: false }
}

/** What `executeBatch` reports besides the per-ID results. */
export interface ExecutedBatch {
  counts: Record<TraceStatus, number>
  shards: ShardOutcome[]
  stats: Manifest['stats']
  warnings: BatchWarning[]
}

/**
 * The batch without its result object: discovery, planning, fan-out with one retry per shard, and the
 * streaming merge, handing each ID's final trace to `onResult` in ID order. Reader parts still go to
 * `deps.resultStore` under `keys` (an in-memory store is fine with an in-process invoker).
 */
export async function executeBatch(
  request: BatchRequest,
  deps: CoordinatorDeps,
  onResult: (result: MergedTrace) => Promise<void>,
  keys = new ResultKeys(deps.resultsPrefix, request.tenant, request.requestId),
): Promise<ExecutedBatch> {
  const phase: Record<string, number> = {}
  const clock = stopwatch()
  const discovered = deps.discover ? await deps.discover(request.tenant) : await discoverBlocks(deps.tempoStore, deps.layout, request.tenant, deps.discovery)
  phase.discovery = clock.lap()

  const maxReaders = deps.maxReaders ?? 100
  const plan = planBatch(discovered.blocks, request, {
    maxReaders,
    minBlocksPerShard: deps.minBlocksPerShard,
    maxBlocksPerShard: deps.maxBlocksPerShard,
    partKey: (shard) => keys.part(shard, deps.compressParts ?? true),
  })
  const payloads = await Promise.all(plan.jobs.map((job) => offloadIds(job, keys, deps)))
  phase.plan = clock.lap()

  let shardsDone = 0
  deps.onProgress?.({ shardsDone, shards: plan.jobs.length })
  const results = await invokeShards(deps.invoker, payloads, {
    concurrency: deps.invokeConcurrency ?? maxReaders,
    timeoutMs: deps.readerTimeoutMs ?? 300_000,
    ...(deps.deadline !== undefined ? { deadline: deps.deadline } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
    onShardDone: () => deps.onProgress?.({ shardsDone: ++shardsDone, shards: plan.jobs.length }),
  })
  // An aborted batch has no answer to merge: its caller has moved on.
  deps.signal?.throwIfAborted()
  results.forEach((r, i) => (r.outcome.traceIds = plan.jobs[i]!.traceIds.length))
  phase.read = clock.lap()

  const requested = request.traces.map((t) => t.traceId)
  const unreadable = discovered.unreadable ?? []
  const failures = failureReasons(plan.jobs, results, unreadable, requested)
  const parts = deps.parts ?? storedParts(deps.resultStore)
  const succeeded = results.filter((r) => r.summary)
  const counts = await mergeParts({
    requested,
    parts: succeeded.map((r) => parts.read(r.job.partKey)),
    failuresFor: (id) => failures.get(id) ?? [],
    maxBytesPerTrace: request.maxBytesPerTrace,
    needModel: deps.needModel ?? true,
    ...(deps.finalize ? { finalize: deps.finalize } : {}),
    onResult,
  })
  phase.merge = clock.lap()
  phase.total = clock.total()

  const stats: Manifest['stats'] = {
    ...emptyStats(),
    blocksListed: plan.blocksListed,
    blocksPrunedByTime: plan.prunedByTime,
    blocksUnreadable: unreadable.length,
    discovery: discovered.source,
    durationMs: phase,
  }
  for (const r of succeeded) addStats(stats, r.summary!.stats)
  const warnings = batchWarnings({ request, blocks: discovered.blocks, blocksPlanned: plan.blocksPlanned, unreadable: unreadable.length, storeDescription: deps.tempoStore.description })
  return { counts, shards: results.map((r) => r.outcome), stats, warnings }
}

/** Read a request's manifest, or undefined when it does not exist yet. */
export async function readManifest(store: ObjectStore, key: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(Buffer.from(await store.get(key)).toString('utf8')) as Manifest
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined
    throw error
  }
}

// Lambda payloads are limited to 256 KB; 10,000 IDs alone are ~350 KB of JSON.
async function offloadIds(job: ReaderJob, keys: ResultKeys, deps: CoordinatorDeps): Promise<ReaderJob> {
  const limit = deps.maxJobPayloadBytes ?? 200_000
  if (Buffer.byteLength(JSON.stringify(job)) <= limit) return job
  const idsKey = keys.jobIds(job.shard)
  const lists = { traceIds: job.traceIds, ...(job.blocksByTraceId ? { blocksByTraceId: job.blocksByTraceId } : {}) }
  await deps.resultStore.put(idsKey, Buffer.from(JSON.stringify(lists)), { contentType: 'application/json' })
  const { blocksByTraceId: _omitted, ...rest } = job
  return { ...rest, traceIds: [], idsKey }
}

function stopwatch(): { lap(): number; total(): number } {
  const start = performance.now()
  let last = start
  return {
    lap() {
      const now = performance.now()
      const ms = Math.round(now - last)
      last = now
      return ms
    },
    total: () => Math.round(performance.now() - start),
  }
}
