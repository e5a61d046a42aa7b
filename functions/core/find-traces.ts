import type { BlockMeta } from './block-meta.js'
import { BloomFilter, bloomShardOf } from './bloom/bloom-filter.js'
import { BlockError, CorruptBlockError, ObjectNotFoundError, describeError } from './errors.js'
import { resolveFormat } from './formats/registry.js'
import { BlockObjects, TempoLayout } from './layout.js'
import type { Trace } from './otlp/model.js'
import { ParquetBlockFile } from './parquet/block-file.js'
import type { BlockFileCache } from './parquet/block-file-cache.js'
import { bytesToLatin1 } from './parquet/latin1.js'
import { locateTraceRows } from './parquet/locate.js'
import { readRowsEach, selectLeaves } from './parquet/read-rows.js'
import { DEFAULT_COALESCE_GAP_BYTES } from './storage/coalesce.js'
import { CountingStore } from './storage/counting-store.js'
import type { ObjectStore } from './storage/object-store.js'
import { traceIdToHex } from './trace-id.js'

/** Options of `findTracesInBlock`. */
export interface FindTracesOptions {
  /** Key layout (Tempo backend prefix); default no prefix. */
  layout?: TempoLayout
  /** Ranges of data.parquet closer than this are fetched as one GET; default 64 KiB. */
  coalesceGapBytes?: number
  signal?: AbortSignal
  /**
   * Opened files to reuse across calls (one reader job, e.g. one call per chunk of IDs): each block's
   * footer, fetched bytes and decoded pages are then read once. Stats still count only this call's work.
   */
  fileCache?: BlockFileCache
}

/** Phases of a block search, cheapest first. */
export type SearchPhase = 'bloom' | 'footer' | 'locate' | 'read' | 'convert'

/** What one block search cost. */
export interface BlockSearchStats {
  requests: number
  bytesRead: number
  pagesDecoded: number
  rowsDecoded: number
  bloomRejects: number
  phaseMs: Record<SearchPhase, number>
}

/** Outcome of one block search: found traces, IDs known absent, and a block-level error if any. */
export interface BlockSearchResult {
  blockId: string
  /** 32-hex trace ID to the block's partial trace. */
  found: Map<string, Trace>
  /** IDs this block certainly does not hold (bloom-rejected or not among its rows). */
  notFound: string[]
  /** Set when the block (or part of it) could not be read; IDs neither found nor notFound are then unknown. */
  error?: BlockError
  stats: BlockSearchStats
}

/**
 * Find `ids` (sorted, distinct, 16 bytes each) in one block, reading cheap before expensive: the bloom
 * shards the IDs hash to (each once), then data.parquet's footer (one GET), the TraceID page index and
 * pages, then only the pages holding the found rows, which are converted with the block's format.
 * Never throws for a block problem: a missing object, corrupt file or bad bloom becomes `error` (a typed
 * BlockError naming tenant and block) and leaves other blocks alone. Aborting via `signal` rejects.
 */
export async function findTracesInBlock(
  store: ObjectStore,
  tenant: string,
  meta: BlockMeta,
  ids: Uint8Array[],
  options: FindTracesOptions = {},
): Promise<BlockSearchResult> {
  const counting = new CountingStore(store)
  const layout = options.layout ?? new TempoLayout()
  const blockId = meta.blockId
  const stats: BlockSearchStats = {
    requests: 0,
    bytesRead: 0,
    pagesDecoded: 0,
    rowsDecoded: 0,
    bloomRejects: 0,
    phaseMs: { bloom: 0, footer: 0, locate: 0, read: 0, convert: 0 },
  }
  const result: BlockSearchResult = { blockId, found: new Map(), notFound: [], stats }
  const fail = (error: unknown) => {
    result.error ??= toBlockError(error, tenant, blockId)
  }
  async function timed<T>(phase: SearchPhase, work: () => Promise<T> | T): Promise<T> {
    const started = performance.now()
    try {
      return await work()
    } finally {
      stats.phaseMs[phase] += performance.now() - started
    }
  }

  let file: ParquetBlockFile | undefined
  let countersAtStart = { pagesDecoded: 0, rowsDecoded: 0 }
  try {
    const format = resolveFormat(meta)
    const candidates = await timed('bloom', () => bloomCandidates(counting, layout, tenant, meta, ids, options.signal, result, fail))
    if (candidates.length > 0) {
      const ref = { store: counting, key: layout.blockObject(tenant, blockId, BlockObjects.data), tenant, blockId, signal: options.signal }
      const open = () => ParquetBlockFile.open(ref, meta.size, meta.footerSize, options.coalesceGapBytes ?? DEFAULT_COALESCE_GAP_BYTES)
      file = await timed('footer', () => (options.fileCache ? options.fileCache.get(ref.key, open) : open()))
      file.rebind(counting, options.signal)
      countersAtStart = { ...file.counters }
      const opened = file
      const leaves = selectLeaves(opened, format.wantsColumn)
      const located = await timed('locate', () => locateTraceRows(opened, candidates, { prefetchOffsetIndexesOf: leaves }))
      const hits = candidates.filter((id) => located.has(bytesToLatin1(id)))
      for (const id of candidates) if (!located.has(bytesToLatin1(id))) result.notFound.push(traceIdToHex(id))
      // Each row is converted as soon as it is assembled, so row objects die young; conversion time is
      // taken out of the read phase.
      let convertMs = 0
      const traces = new Array<Trace | undefined>(hits.length)
      await timed('read', () =>
        readRowsEach(opened, hits.map((id) => located.get(bytesToLatin1(id))!), leaves, (row, i) => {
          const started = performance.now()
          try {
            traces[i] = format.convertRow(row, meta)
          } catch (error) {
            fail(new BlockError(tenant, blockId, `trace ${traceIdToHex(hits[i]!)} does not convert: ${describeError(error)}`, { cause: error }))
          }
          convertMs += performance.now() - started
        }),
      )
      stats.phaseMs.read -= convertMs
      stats.phaseMs.convert += convertMs
      // Found traces in ID order, as the caller gave them.
      hits.forEach((id, i) => {
        const trace = traces[i]
        if (trace) result.found.set(traceIdToHex(id), trace)
      })
    }
  } catch (error) {
    if (options.signal?.aborted) throw error
    fail(error)
  } finally {
    const counts = counting.counts()
    stats.requests = counts.requests
    stats.bytesRead = counts.bytesRead
    stats.pagesDecoded = (file?.counters.pagesDecoded ?? 0) - countersAtStart.pagesDecoded
    stats.rowsDecoded = (file?.counters.rowsDecoded ?? 0) - countersAtStart.rowsDecoded
    result.notFound.sort()
  }
  return result
}

/**
 * Test each ID against its bloom shard, fetching every needed shard once and all of them concurrently.
 * Rejected IDs go to `notFound`; a missing or unreadable shard is a block error for its IDs only.
 */
async function bloomCandidates(
  store: ObjectStore,
  layout: TempoLayout,
  tenant: string,
  meta: BlockMeta,
  ids: Uint8Array[],
  signal: AbortSignal | undefined,
  result: BlockSearchResult,
  fail: (error: unknown) => void,
): Promise<Uint8Array[]> {
  const shardCount = meta.bloomShards > 0 ? meta.bloomShards : 10
  const byShard = new Map<number, Uint8Array[]>()
  for (const id of ids) {
    const shard = bloomShardOf(id, shardCount)
    const list = byShard.get(shard)
    if (list) list.push(id)
    else byShard.set(shard, [id])
  }
  signal?.throwIfAborted()
  const filters = await Promise.all(
    [...byShard.keys()].map(async (shard) => {
      try {
        const bytes = await store.get(layout.blockObject(tenant, meta.blockId, BlockObjects.bloom(shard)))
        return BloomFilter.parse(bytes, { tenant, blockId: meta.blockId, shard })
      } catch (error) {
        if (signal?.aborted) throw error
        fail(error)
        return undefined
      }
    }),
  )
  const passing = new Set<Uint8Array>()
  ;[...byShard.values()].forEach((shardIds, i) => {
    const filter = filters[i]
    if (!filter) return
    for (const id of shardIds) {
      if (filter.has(id)) {
        passing.add(id)
      } else {
        result.notFound.push(traceIdToHex(id))
        result.stats.bloomRejects++
      }
    }
  })
  // Keep the caller's (sorted) order.
  return ids.filter((id) => passing.has(id))
}

/** Any failure inside one block as a BlockError naming tenant and block. */
function toBlockError(error: unknown, tenant: string, blockId: string): BlockError {
  if (error instanceof BlockError) return error
  if (error instanceof ObjectNotFoundError) return new BlockError(tenant, blockId, `missing object ${error.key}`, { cause: error })
  if (error instanceof RangeError || error instanceof TypeError) {
    return new CorruptBlockError(tenant, blockId, `unreadable: ${describeError(error)}`, { cause: error })
  }
  return new BlockError(tenant, blockId, describeError(error), { cause: error })
}
