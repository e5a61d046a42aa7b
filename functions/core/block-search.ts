import type { BlockMeta } from './block-meta.js'
import { BloomFilter, bloomShardOf } from './bloom/bloom-filter.js'
import { BlockError, CorruptBlockError, ObjectNotFoundError, TempoBatchError, describeError } from './errors.js'
import { resolveFormat, type TraceFormat } from './formats/registry.js'
import { BlockObjects, TempoLayout } from './layout.js'
import type { Trace } from './otlp/model.js'
import { ParquetBlockFile } from './parquet/block-file.js'
import type { LeafColumn } from './parquet/columns.js'
import { bytesToLatin1 } from './parquet/latin1.js'
import { locateTraceRows, type RowLocation } from './parquet/locate.js'
import { fetchOffsetIndexes, readRowsEach, selectLeaves } from './parquet/read-rows.js'
import { groupFetchRounds, planReadWindows } from './parquet/read-windows.js'
import { DEFAULT_COALESCE_GAP_BYTES } from './storage/coalesce.js'
import { CountingStore } from './storage/counting-store.js'
import type { ByteRange, ObjectStore } from './storage/object-store.js'
import { traceIdToHex } from './trace-id.js'

/** Options of a block search. */
export interface BlockSearchOptions {
  /** Key layout (Tempo backend prefix); default no prefix. */
  layout?: TempoLayout
  /** Ranges of data.parquet closer than this are fetched as one GET; default 64 KiB. */
  coalesceGapBytes?: number
  /**
   * Rows are decoded in windows of about this many compressed bytes of new pages, letting pages go
   * between windows, so decoded pages held stay bounded whatever the row group size (default 2 MiB).
   */
  readWindowBytes?: number
  /**
   * Windows are fetched in rounds of about this many compressed bytes (one coalesced set of GETs each,
   * made while the previous round decodes), default 16 MiB: the bytes held undecoded.
   */
  fetchRoundBytes?: number
  signal?: AbortSignal
}

/**
 * Default `readWindowBytes`. Decoded pages cost several times their compressed size (decompressed
 * buffers plus values), and a reader decodes a few blocks at once: 2 MiB kept the embedded 1,000-ID
 * batch on a Tempo-sized tenant near 500 MB where 8 MiB took 690 MB, at the same speed.
 */
export const DEFAULT_READ_WINDOW_BYTES = 2 * 2 ** 20

/** Default `fetchRoundBytes`: compressed bytes are cheap to hold, and neighbouring rows' pages then share GETs. */
export const DEFAULT_FETCH_ROUND_BYTES = 16 * 2 ** 20

/** Phases of a block search, cheapest first. */
export type SearchPhase = 'bloom' | 'footer' | 'locate' | 'read' | 'convert'

/** What (part of) a block search cost. */
export interface BlockSearchStats {
  requests: number
  bytesRead: number
  pagesDecoded: number
  rowsDecoded: number
  bloomRejects: number
  phaseMs: Record<SearchPhase, number>
}

/** Outcome of looking up some IDs in one block: found traces, IDs known absent, and a block error if any. */
export interface BlockSearchResult {
  blockId: string
  /** 32-hex trace ID to the block's partial trace. */
  found: Map<string, Trace>
  /** IDs this block certainly does not hold (bloom-rejected or not among its rows), ascending. */
  notFound: string[]
  /** Set when the block (or part of it) could not be read; IDs neither found nor notFound are then unknown. */
  error?: BlockError
  stats: BlockSearchStats
}

/** What is known of one ID after the bloom filter and the TraceID column. */
type IdState = { kind: 'absent' } | { kind: 'unknown' } | { kind: 'located'; location: RowLocation; read: boolean }

/**
 * One block searched for a set of IDs, read cheap before expensive and once: `open` tests every ID
 * against its bloom shard (each shard fetched once), reads data.parquet's footer and locates the rows
 * from the TraceID page index and pages; then `find` reads the rows of any subset of those IDs. Calls in
 * ascending ID order read each page once and hold only the pages the current rows straddle (Tempo sorts
 * a block's rows by trace ID), so a reader can walk a large batch in chunks with memory bounded by the
 * chunk. Block problems never throw: they become `error` (a typed BlockError naming tenant and block)
 * and leave the IDs they touch unknown. Aborting via `signal` rejects.
 */
export class BlockSearch {
  private readonly states = new Map<string, IdState>()
  private readonly totals: BlockSearchStats = emptySearchStats()
  private reported: BlockSearchStats = emptySearchStats()
  private file: ParquetBlockFile | undefined
  private leaves: LeafColumn[] = []
  private format: TraceFormat | undefined
  private error: BlockError | undefined
  private peakHeld = 0

  private constructor(
    private readonly store: CountingStore,
    readonly tenant: string,
    readonly meta: BlockMeta,
    private readonly options: BlockSearchOptions,
  ) {}

  /** Open the block for `ids` (16 bytes each): bloom filters, footer and row locations. */
  static async open(store: ObjectStore, tenant: string, meta: BlockMeta, ids: readonly Uint8Array[], options: BlockSearchOptions = {}): Promise<BlockSearch> {
    const search = new BlockSearch(new CountingStore(store), tenant, meta, options)
    await search.prepare(ids)
    return search
  }

  /** The block's ID. */
  get blockId(): string {
    return this.meta.blockId
  }

  /** Decoded pages held now (0 once no located row is left to read). */
  get pagesHeld(): number {
    return this.file?.pagesHeld ?? 0
  }

  /** The most decoded pages held at once so far (right after a read window, before letting go). */
  get peakPagesHeld(): number {
    return this.peakHeld
  }

  /**
   * Read the traces of `ids` (a subset of the opened IDs, each asked for once). Stats cover the work since the previous call
   * (the first call includes `open`'s). `error` is set when some of these IDs could not be settled.
   */
  async find(ids: readonly Uint8Array[]): Promise<BlockSearchResult> {
    const found = new Map<string, Trace>()
    const notFound: string[] = []
    const wanted: { id: Uint8Array; state: Extract<IdState, { kind: 'located' }> }[] = []
    for (const id of ids) {
      const state = this.states.get(bytesToLatin1(id))
      if (state === undefined) throw new TempoBatchError(`block search: ID ${traceIdToHex(id)} was not given to open()`)
      // Its pages may be gone (the file itself once every row is read): a second answer could be wrong.
      if (state.kind === 'located' && state.read) throw new TempoBatchError(`block search: ID ${traceIdToHex(id)} was read already`)
      if (state.kind === 'absent') notFound.push(traceIdToHex(id))
      else if (state.kind === 'located') wanted.push({ id, state })
    }
    const file = this.file
    if (wanted.length > 0 && file && this.format) {
      const format = this.format
      wanted.sort((a, b) => a.state.location.fileRow - b.state.location.fileRow)
      let convertMs = 0
      try {
        await fetchOffsetIndexes(file, new Set(wanted.map((w) => w.state.location.rowGroup)), this.leaves)
        const windows = planReadWindows(file, wanted.map((w) => w.state.location), this.leaves, this.options.readWindowBytes ?? DEFAULT_READ_WINDOW_BYTES)
        const rounds = groupFetchRounds(windows, this.options.fetchRoundBytes ?? DEFAULT_FETCH_ROUND_BYTES)
        // The next round's pages are fetched while this one's windows decode, so rounds cost no latency.
        const fetchAhead = (index: number): Promise<void> | undefined => {
          const round = rounds[index]
          if (!round || round.ranges.length === 0) return undefined
          const fetching = file.fetch(round.ranges)
          fetching.catch(() => undefined)
          return fetching
        }
        let ahead = fetchAhead(0)
        for (let r = 0; r < rounds.length; r++) {
          await this.timed('read', async () => ahead)
          ahead = fetchAhead(r + 1)
          const round = rounds[r]!
          for (let w = 0; w < round.windows.length; w++) {
            const rows = round.windows[w]!.rows.map((i) => wanted[i]!)
            await this.timed('read', () =>
              readRowsEach(file, rows.map((row) => row.state.location), this.leaves, (row, i) => {
                const started = performance.now()
                const { id } = rows[i]!
                try {
                  found.set(traceIdToHex(id), format.convertRow(row, this.meta))
                } catch (error) {
                  this.fail(new BlockError(this.tenant, this.blockId, `trace ${traceIdToHex(id)} does not convert: ${describeError(error)}`, { cause: error }))
                }
                convertMs += performance.now() - started
              }),
            )
            for (const row of rows) row.state.read = true
            // Keep the bytes fetched for the windows still to come (this round's and the next one's).
            this.releaseReadRows([...round.windows.slice(w + 1).flatMap((later) => later.ranges), ...(rounds[r + 1]?.ranges ?? [])])
          }
        }
      } catch (error) {
        if (this.options.signal?.aborted) throw error
        this.fail(error)
        for (const w of wanted) w.state.read = true
        this.releaseReadRows()
      }
      this.totals.phaseMs.read -= convertMs
      this.totals.phaseMs.convert += convertMs
    }
    notFound.sort()
    const settled = found.size + notFound.length
    // Rows come in file order; callers get the traces in the order of their IDs.
    const inIdOrder = new Map<string, Trace>()
    for (const id of ids) {
      const hex = traceIdToHex(id)
      const trace = found.get(hex)
      if (trace) inIdOrder.set(hex, trace)
    }
    const result: BlockSearchResult = { blockId: this.blockId, found: inIdOrder, notFound, stats: this.takeStats() }
    if (this.error && settled < ids.length) result.error = this.error
    return result
  }

  private async prepare(ids: readonly Uint8Array[]): Promise<void> {
    for (const id of ids) this.states.set(bytesToLatin1(id), { kind: 'unknown' })
    const refs = { tenant: this.tenant, blockId: this.blockId }
    try {
      this.format = resolveFormat(this.meta)
      const candidates = await this.timed('bloom', () => this.bloomCandidates(ids))
      if (candidates.length === 0) return
      const layout = this.options.layout ?? new TempoLayout()
      const ref = { ...refs, store: this.store, key: layout.blockObject(this.tenant, this.blockId, BlockObjects.data), signal: this.options.signal }
      const file = await this.timed('footer', () =>
        ParquetBlockFile.open(ref, this.meta.size, this.meta.footerSize, this.options.coalesceGapBytes ?? DEFAULT_COALESCE_GAP_BYTES),
      )
      this.file = file
      this.leaves = selectLeaves(file, this.format.wantsColumn)
      const located = await this.timed('locate', () => locateTraceRows(file, candidates, { prefetchOffsetIndexesOf: this.leaves }))
      for (const id of candidates) {
        const key = bytesToLatin1(id)
        const location = located.get(key)
        this.states.set(key, location ? { kind: 'located', location, read: false } : { kind: 'absent' })
      }
      this.releaseReadRows()
    } catch (error) {
      if (this.options.signal?.aborted) throw error
      this.fail(error)
    }
  }

  /** Test each ID against its bloom shard, fetching every needed shard once and all concurrently. */
  private async bloomCandidates(ids: readonly Uint8Array[]): Promise<Uint8Array[]> {
    const shardCount = this.meta.bloomShards > 0 ? this.meta.bloomShards : 10
    const byShard = new Map<number, Uint8Array[]>()
    for (const id of ids) {
      const shard = bloomShardOf(id, shardCount)
      const list = byShard.get(shard)
      if (list) list.push(id)
      else byShard.set(shard, [id])
    }
    this.options.signal?.throwIfAborted()
    const layout = this.options.layout ?? new TempoLayout()
    const filters = await Promise.all(
      [...byShard.keys()].map(async (shard) => {
        try {
          const bytes = await this.store.get(layout.blockObject(this.tenant, this.blockId, BlockObjects.bloom(shard)))
          return BloomFilter.parse(bytes, { tenant: this.tenant, blockId: this.blockId, shard })
        } catch (error) {
          if (this.options.signal?.aborted) throw error
          // A missing or unreadable shard leaves only its own IDs unknown.
          this.fail(error)
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
          this.states.set(bytesToLatin1(id), { kind: 'absent' })
          this.totals.bloomRejects++
        }
      }
    })
    // Keep the caller's (sorted) order.
    return ids.filter((id) => passing.has(id))
  }

  // Pages behind the first row still to read are done with; with no row left, the whole file is.
  private releaseReadRows(keep?: readonly ByteRange[]): void {
    if (!this.file) return
    this.peakHeld = Math.max(this.peakHeld, this.file.pagesHeld)
    let next = Infinity
    for (const state of this.states.values()) if (state.kind === 'located' && !state.read) next = Math.min(next, state.location.fileRow)
    this.countDecodes()
    if (next === Infinity) this.file = undefined
    else this.file.releaseBefore(next, keep)
  }

  private countDecodes(): void {
    if (!this.file) return
    this.totals.pagesDecoded = this.file.counters.pagesDecoded
    this.totals.rowsDecoded = this.file.counters.rowsDecoded
  }

  private takeStats(): BlockSearchStats {
    this.countDecodes()
    const counts = this.store.counts()
    this.totals.requests = counts.requests
    this.totals.bytesRead = counts.bytesRead
    const delta = subtractStats(this.totals, this.reported)
    this.reported = structuredClone(this.totals)
    return delta
  }

  private fail(error: unknown): void {
    this.error ??= toBlockError(error, this.tenant, this.blockId)
  }

  private async timed<T>(phase: SearchPhase, work: () => Promise<T>): Promise<T> {
    const started = performance.now()
    try {
      return await work()
    } finally {
      this.totals.phaseMs[phase] += performance.now() - started
    }
  }
}

/** Stats of no work. */
export function emptySearchStats(): BlockSearchStats {
  return { requests: 0, bytesRead: 0, pagesDecoded: 0, rowsDecoded: 0, bloomRejects: 0, phaseMs: { bloom: 0, footer: 0, locate: 0, read: 0, convert: 0 } }
}

function subtractStats(a: BlockSearchStats, b: BlockSearchStats): BlockSearchStats {
  const phaseMs = { ...a.phaseMs }
  for (const phase of Object.keys(phaseMs) as SearchPhase[]) phaseMs[phase] -= b.phaseMs[phase]
  return {
    requests: a.requests - b.requests,
    bytesRead: a.bytesRead - b.bytesRead,
    pagesDecoded: a.pagesDecoded - b.pagesDecoded,
    rowsDecoded: a.rowsDecoded - b.rowsDecoded,
    bloomRejects: a.bloomRejects - b.bloomRejects,
    phaseMs,
  }
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
