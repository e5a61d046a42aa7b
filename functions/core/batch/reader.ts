import { TraceCombiner } from '../combine/combiner.js'
import { finalizeStage } from '../combine/finalize.js'
import { describeError } from '../contract/errors.js'
import { BlockSearch, type BlockSearchOptions, type BlockSearchResult } from '../search/block-search.js'
import type { BlockCache } from '../search/block-cache.js'
import type { BlockMeta } from '../blocks/block-meta.js'
import type { TempoLayout } from '../storage/layout.js'
import type { Trace } from '../otlp/model.js'
import type { ObjectStore } from '../storage/object-store.js'
import { parseTraceId } from '../contract/trace-id.js'
import { jobBlockToMeta } from '../contract/job-block.js'
import { deadlineSignal } from './deadline.js'
import { mapLimit } from './map-limit.js'
import { storedParts, type PartExchange } from '../results/part-exchange.js'
import { countSpans } from '../results/part-lines.js'
import { addStats, emptyStats } from './stats.js'
import type { BlockFailure, ReaderJob, ReaderSummary } from '../contract/types.js'

/** One block opened for a job's IDs, read a chunk of them at a time (see `BlockSearch`). */
export interface BlockSearcher {
  find(ids: readonly Uint8Array[]): Promise<BlockSearchResult>
}

/** Opens a block for a set of IDs; `BlockSearch.open` unless a test replaces it. */
export type OpenBlockSearch = (store: ObjectStore, tenant: string, meta: BlockMeta, ids: readonly Uint8Array[], options: BlockSearchOptions) => Promise<BlockSearcher>

/** What a reader needs; `openBlock` is replaceable for fault tests. */
export interface ReaderDeps {
  tempoStore: ObjectStore
  layout: TempoLayout
  resultStore: ObjectStore
  /** Blocks searched at once (default 4: I/O overlaps decoding). */
  blockConcurrency?: number
  /** IDs combined and written per pass over the blocks; bounds memory to one chunk's traces (default 1000). */
  idsPerChunk?: number
  /** Compressed page bytes a block decodes per window (BlockSearch's `readWindowBytes`, default 2 MiB). */
  readWindowBytes?: number
  /** Compressed page bytes a block fetches per round (BlockSearch's `fetchRoundBytes`, default 16 MiB). */
  fetchRoundBytes?: number
  openBlock?: OpenBlockSearch
  /** Where the part goes (default: an NDJSON object in `resultStore`, see `storedParts`). */
  parts?: PartExchange
  /** Bloom shards and footers kept across jobs (BlockSearch's `cache`; a long-running process's). */
  cache?: BlockCache
}

/** The ID lists of a job, loaded from `idsKey` when the coordinator offloaded them. */
export async function loadJobIds(job: ReaderJob, resultStore: ObjectStore): Promise<Pick<ReaderJob, 'traceIds' | 'blocksByTraceId'>> {
  if (job.idsKey === undefined) return job
  const value = JSON.parse(Buffer.from(await resultStore.get(job.idsKey)).toString('utf8')) as Pick<ReaderJob, 'traceIds' | 'blocksByTraceId'>
  return value
}

/**
 * Run one reader job: open each of the job's blocks once for all the IDs it may hold (bloom filter,
 * footer, row locations), then walk the IDs in ascending chunks: read the chunk's rows from every block
 * (bounded concurrency; each block keeps only the pages its next rows straddle), combine each ID's
 * partial traces in block order with Tempo's combiner, and append them to the sorted NDJSON part.
 * Block failures are data in the summary; only a failure to write the part throws.
 */
export async function runReaderJob(job: ReaderJob, deps: ReaderDeps): Promise<ReaderSummary> {
  const started = performance.now()
  const openBlock = deps.openBlock ?? BlockSearch.open
  const { traceIds, blocksByTraceId } = await loadJobIds(job, deps.resultStore)
  const metas = job.blocks.map((b) => jobBlockToMeta(b, job.tenant))
  const idsOfBlock = (blockId: string, ids: readonly string[]) => (blocksByTraceId ? ids.filter((id) => blocksByTraceId[id]?.includes(blockId) ?? true) : ids)
  // Parsed once per job: every block gets the same byte arrays, not a parse per ID and block.
  const bytesOf = new Map(traceIds.map((id) => [id, parseTraceId(id)]))
  // Past the job's deadline the coordinator has given up: stop reading, write nothing, free the slot.
  const stop = deadlineSignal(job.deadline, `reader: shard ${job.shard} of request ${job.requestId}`)
  const searchOptions: BlockSearchOptions = { layout: deps.layout, signal: stop.signal }
  if (deps.readWindowBytes) searchOptions.readWindowBytes = deps.readWindowBytes
  if (deps.fetchRoundBytes) searchOptions.fetchRoundBytes = deps.fetchRoundBytes
  if (deps.cache) searchOptions.cache = deps.cache
  const searches = new Map<string, Promise<BlockSearcher>>()
  const searchOf = (meta: BlockMeta): Promise<BlockSearcher> => {
    let search = searches.get(meta.blockId)
    if (!search) {
      search = openBlock(deps.tempoStore, job.tenant, meta, idsOfBlock(meta.blockId, traceIds).map((id) => bytesOf.get(id)!), searchOptions)
      // A failed open is reported with each chunk's IDs, not as an unhandled rejection.
      search.catch(() => undefined)
      searches.set(meta.blockId, search)
    }
    return search
  }
  const stats = emptyStats()
  const failures = new Map<string, BlockFailure>()
  let tracesFound = 0

  /** One chunk's traces from every block that may hold them, in block order. */
  const searchChunk = (chunk: readonly string[]) => {
    return mapLimit(metas, deps.blockConcurrency ?? 4, async (meta) => {
      const ids = idsOfBlock(meta.blockId, chunk)
      if (ids.length === 0) return undefined
      try {
        const result = await (await searchOf(meta)).find(ids.map((id) => bytesOf.get(id)!))
        addStats(stats, { ...result.stats, phaseMs: result.stats.phaseMs })
        if (result.error) recordFailure(failures, meta.blockId, describeError(result.error), uncertainIds(ids, result.found, result.notFound))
        return result.found
      } catch (error) {
        if (stop.signal.aborted) throw stop.signal.reason
        recordFailure(failures, meta.blockId, describeError(error), ids)
        return undefined
      }
    })
  }

  // The part streams out chunk by chunk: memory holds one chunk's traces, not the part.
  const writer = (deps.parts ?? storedParts(deps.resultStore)).open(job.partKey)
  const chunkSize = Math.max(1, deps.idsPerChunk ?? 1000)
  try {
    for (let offset = 0; offset < traceIds.length; offset += chunkSize) {
      stop.signal.throwIfAborted()
      const chunk = traceIds.slice(offset, offset + chunkSize)
      const perBlock = await searchChunk(chunk)
      const combineStarted = performance.now()
      for (const traceId of chunk) {
        const combiner = new TraceCombiner(job.maxBytesPerTrace)
        for (const found of perBlock) {
          const trace: Trace | undefined = found?.get(traceId)
          if (trace) combiner.consume(trace)
        }
        const trace = combiner.result({ sort: false })
        if (!trace || combiner.contributors === 0) continue
        tracesFound++
        stats.spans += countSpans(trace)
        await writer.write({ traceId, contributors: combiner.contributors, exceeded: combiner.exceeded, trace, finalized: finalizeStage(trace, combiner.contributors) })
      }
      addStats(stats, { phaseMs: { combine: performance.now() - combineStarted } })
    }
    stop.signal.throwIfAborted()
  } catch (error) {
    await writer.abort(error)
    throw error
  } finally {
    stop.clear()
  }
  const putStarted = performance.now()
  await writer.finish()
  addStats(stats, { phaseMs: { write: performance.now() - putStarted } })
  stats.blocksSearched = searches.size
  return {
    shard: job.shard,
    partKey: job.partKey,
    tracesFound,
    failedBlocks: [...failures.values()],
    stats,
    durationMs: Math.round(performance.now() - started),
  }
}

// IDs the block ruled out (bloom or lookup) before failing are settled; the rest stay open.
function uncertainIds(ids: readonly string[], found: ReadonlyMap<string, unknown>, notFound: readonly string[]): string[] {
  const settled = new Set(notFound)
  return ids.filter((id) => !found.has(id) && !settled.has(id))
}

function recordFailure(failures: Map<string, BlockFailure>, blockId: string, error: string, traceIds: readonly string[]): void {
  const existing = failures.get(blockId)
  if (existing) existing.traceIds = [...(existing.traceIds ?? []), ...traceIds]
  else failures.set(blockId, { blockId, error, traceIds: [...traceIds] })
}
