import type { BlockMeta } from '../blocks/block-meta.js'
import { bloomCandidates } from '../bloom/bloom-candidates.js'
import { BlockError, BlockVanishedError, CorruptBlockError, ObjectNotFoundError, TempoBatchError, describeError } from '../contract/errors.js'
import { resolveFormat, type TraceFormat } from '../formats/registry.js'
import { BlockObjects, TempoLayout } from '../storage/layout.js'
import type { Trace } from '../otlp/model.js'
import { ParquetBlockFile } from '../parquet/block-file.js'
import { readParquetFooter } from '../parquet/footer.js'
import type { BlockCache } from './block-cache.js'
import type { LeafColumn } from '../parquet/columns.js'
import { locateTraceRows, type RowLocation } from '../parquet/locate.js'
import type { ParquetRowObject } from '../parquet/assemble-rows.js'
import { fetchOffsetIndexes, readRowsEach, selectLeaves } from '../parquet/read-rows.js'
import { groupFetchRounds, planReadWindows } from '../parquet/read-windows.js'
import { DEFAULT_COALESCE_GAP_BYTES } from '../storage/coalesce.js'
import { CountingStore } from '../storage/counting-store.js'
import type { ByteRange, ObjectStore } from '../storage/object-store.js'
import { emptySearchStats, subtractStats, type BlockSearchStats, type SearchPhase } from './search-stats.js'
import { hexOf, keyOf } from './id-names.js'

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
  /** Parsed bloom shards and footers kept between searches (a long-running process's). */
  cache?: BlockCache
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

// Shared: a batch holds a state per ID and block, and most are one of these two.
const UNKNOWN: IdState = Object.freeze({ kind: 'unknown' })
const ABSENT: IdState = Object.freeze({ kind: 'absent' })

/** A located ID a `find` call reads. */
interface WantedRow {
  id: Uint8Array
  state: Extract<IdState, { kind: 'located' }>
}

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
   * Read the traces of `ids` (a subset of the opened IDs, each asked for once). Stats cover the work
   * since the previous call (the first call includes `open`'s). `error` is set when some of these IDs
   * could not be settled.
   */
  async find(ids: readonly Uint8Array[]): Promise<BlockSearchResult> {
    const found = new Map<string, Trace>()
    const notFound: string[] = []
    const wanted: WantedRow[] = []
    for (const id of ids) {
      const state = this.states.get(keyOf(id))
      if (state === undefined) throw new TempoBatchError(`block search: ID ${hexOf(id)} was not given to open()`)
      // Its pages may be gone (the file itself once every row is read): a second answer could be wrong.
      if (state.kind === 'located' && state.read) throw new TempoBatchError(`block search: ID ${hexOf(id)} was read already`)
      if (state.kind === 'absent') notFound.push(hexOf(id))
      else if (state.kind === 'located') wanted.push({ id, state })
    }
    if (wanted.length > 0 && this.file && this.format) {
      try {
        await this.readRows(this.file, this.format, wanted, found)
      } catch (error) {
        if (this.options.signal?.aborted) throw error
        this.fail(error)
        for (const w of wanted) w.state.read = true
        this.releaseReadRows()
      }
    }
    notFound.sort()
    const settled = found.size + notFound.length
    // Rows come in file order; callers get the traces in the order of their IDs.
    const inIdOrder = new Map<string, Trace>()
    for (const id of ids) {
      const hex = hexOf(id)
      const trace = found.get(hex)
      if (trace) inIdOrder.set(hex, trace)
    }
    const result: BlockSearchResult = { blockId: this.blockId, found: inIdOrder, notFound, stats: this.takeStats() }
    if (this.error && settled < ids.length) result.error = this.error
    return result
  }

  /**
   * Decode `wanted` rows window by window in file order, converting each row as soon as it is assembled;
   * the pages of each fetch round are fetched while the previous round decodes. A row that does not
   * convert is a block error for its ID alone.
   */
  private async readRows(file: ParquetBlockFile, format: TraceFormat, wanted: WantedRow[], found: Map<string, Trace>): Promise<void> {
    wanted.sort((a, b) => a.state.location.fileRow - b.state.location.fileRow)
    await fetchOffsetIndexes(file, new Set(wanted.map((w) => w.state.location.rowGroup)), this.leaves)
    const windows = planReadWindows(file, wanted.map((w) => w.state.location), this.leaves, this.options.readWindowBytes ?? DEFAULT_READ_WINDOW_BYTES)
    const rounds = groupFetchRounds(windows, this.options.fetchRoundBytes ?? DEFAULT_FETCH_ROUND_BYTES)
    const fetchRound = (index: number): Promise<void> | undefined => {
      const round = rounds[index]
      if (!round || round.ranges.length === 0) return undefined
      const fetching = file.fetch(round.ranges)
      // Awaited at the next round; a failure while this round decodes must not count as unhandled.
      fetching.catch(() => undefined)
      return fetching
    }
    let convertMs = 0
    const convert = (row: ParquetRowObject, id: Uint8Array) => {
      const started = performance.now()
      try {
        found.set(hexOf(id), format.convertRow(row, this.meta))
      } catch (error) {
        this.fail(new BlockError(this.tenant, this.blockId, `trace ${hexOf(id)} does not convert: ${describeError(error)}`, { cause: error }))
      }
      convertMs += performance.now() - started
    }
    try {
      let ahead = fetchRound(0)
      for (let r = 0; r < rounds.length; r++) {
        await this.timed('read', async () => ahead)
        ahead = fetchRound(r + 1)
        const round = rounds[r]!
        for (let w = 0; w < round.windows.length; w++) {
          const rows = round.windows[w]!.rows.map((i) => wanted[i]!)
          await this.timed('read', () => readRowsEach(file, rows.map((row) => row.state.location), this.leaves, (row, i) => convert(row, rows[i]!.id)))
          for (const row of rows) row.state.read = true
          // Keep the bytes fetched for the windows still to come (this round's and the next one's).
          this.releaseReadRows([...round.windows.slice(w + 1).flatMap((later) => later.ranges), ...(rounds[r + 1]?.ranges ?? [])])
        }
      }
    } finally {
      this.totals.phaseMs.read -= convertMs
      this.totals.phaseMs.convert += convertMs
    }
  }

  private async prepare(ids: readonly Uint8Array[]): Promise<void> {
    for (const id of ids) this.states.set(keyOf(id), UNKNOWN)
    const refs = { tenant: this.tenant, blockId: this.blockId }
    try {
      this.format = resolveFormat(this.meta)
      const layout = this.options.layout ?? new TempoLayout()
      const bloom = await this.timed('bloom', () => bloomCandidates(this.store, layout, this.tenant, this.meta, ids, this.options.signal, this.options.cache))
      // A missing or unreadable shard leaves only its own IDs unknown.
      for (const error of bloom.errors) this.fail(error)
      for (const id of bloom.rejected) this.states.set(keyOf(id), ABSENT)
      this.totals.bloomRejects += bloom.rejected.length
      const candidates = bloom.candidates
      if (candidates.length === 0) return
      const ref = { ...refs, store: this.store, key: layout.blockObject(this.tenant, this.blockId, BlockObjects.data), signal: this.options.signal }
      const file = await this.timed('footer', async () => {
        const cache = this.options.cache
        const known = cache ? await cache.footer(ref.key, () => readParquetFooter(ref, this.meta.size, this.meta.footerSize)) : undefined
        return ParquetBlockFile.open(ref, this.meta.size, this.meta.footerSize, this.options.coalesceGapBytes ?? DEFAULT_COALESCE_GAP_BYTES, known)
      })
      this.file = file
      this.leaves = selectLeaves(file, this.format.wantsColumn)
      const located = await this.timed('locate', () => locateTraceRows(file, candidates, { prefetchOffsetIndexesOf: this.leaves }))
      for (const id of candidates) {
        const key = keyOf(id)
        const location = located.get(key)
        this.states.set(key, location ? { kind: 'located', location, read: false } : ABSENT)
      }
      this.releaseReadRows()
    } catch (error) {
      if (this.options.signal?.aborted) throw error
      this.fail(error)
    }
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
    this.reported = { ...this.totals, phaseMs: { ...this.totals.phaseMs } }
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

/** Any failure inside one block as a BlockError naming tenant and block. */
function toBlockError(error: unknown, tenant: string, blockId: string): BlockError {
  if (error instanceof BlockError) return error
  if (error instanceof ObjectNotFoundError) return new BlockVanishedError(tenant, blockId, error)
  if (error instanceof RangeError || error instanceof TypeError) {
    return new CorruptBlockError(tenant, blockId, `unreadable: ${describeError(error)}`, { cause: error })
  }
  return new BlockError(tenant, blockId, describeError(error), { cause: error })
}
