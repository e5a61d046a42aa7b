/**
 * The batch contract shared by every entry point (CLI, local server, API Gateway, SQS, Step Functions),
 * the coordinator, the readers and the `Invoker` port. Reader jobs and summaries cross a Lambda
 * boundary as JSON, so they hold only JSON-safe values (no bigint, no bytes) and stay small.
 */

/** One requested trace, normalised: 32 lowercase hex digits, optional per-ID window (unix seconds). */
export interface RequestedTrace {
  traceId: string
  start?: number
  end?: number
}

/** A validated batch request (see `parseBatchRequest`). IDs are distinct and sorted ascending. */
export interface BatchRequest {
  tenant: string
  traces: RequestedTrace[]
  /** Request-wide window in unix seconds; Tempo's rule keeps a block if start < block end and end > block start. */
  start?: number
  end?: number
  requestId: string
  maxBytesPerTrace: number
}

/**
 * One block as a reader job carries it: `BlockMeta` made JSON-safe (unix-nanosecond times as decimal
 * strings, dedicated columns in their normalised form). `jobBlockToMeta` turns it back.
 */
export interface JobBlock {
  blockId: string
  format: string
  size: number
  footerSize: number
  bloomShards: number
  totalObjects: number
  totalRecords: number
  compactionLevel: number
  replicationFactor: number
  /** `BlockMeta.dedicatedColumns` (`{ name, scope, type, options }`). */
  dedicatedColumns: unknown[]
  /** Unix nanoseconds, decimal. */
  startTime: string
  endTime: string
  /** ISO time when the block was compacted (compacted blocks still inside the grace window). */
  compactedTime?: string
}

/** The work of one reader: its blocks (a GUID range of the tenant) and the IDs to look for in them. */
export interface ReaderJob {
  requestId: string
  tenant: string
  shard: number
  /** Inclusive block-ID bounds of this shard (canonical UUID strings). */
  blockIdMin: string
  blockIdMax: string
  blocks: JobBlock[]
  /** 32-hex IDs; each listed only where its window overlaps at least one of `blocks`. */
  traceIds: string[]
  /** Per-ID block restriction when per-ID windows exclude some blocks: traceId -> blockIds. */
  blocksByTraceId?: Record<string, string[]>
  /**
   * Set when the ID lists would make the payload too large for a Lambda invocation (256 KB): the
   * result-store key of a JSON `{ traceIds, blocksByTraceId? }` object; `traceIds` is then empty.
   */
  idsKey?: string
  maxBytesPerTrace: number
  /** Key (in the result store) where the reader writes its gzip NDJSON partial result. */
  partKey: string
  /**
   * Unix milliseconds when the coordinator stops waiting for this attempt: the reader stops there too
   * (a synchronous invoke whose caller gave up is not cancelled, and would hold a reader slot for nothing).
   */
  deadline?: number
}

/** A per-block failure, as data. */
export interface BlockFailure {
  blockId: string
  error: string
  /**
   * The IDs whose answer this failure leaves open (those the block's bloom filter did not rule out);
   * absent means every ID the job searched in this block.
   */
  traceIds?: string[]
}

/** Statistics of reading; summed across readers for the manifest. */
export interface ReadStats {
  blocksSearched: number
  bloomRejects: number
  requests: number
  bytesRead: number
  pagesDecoded: number
  rowsDecoded: number
  spans: number
  /** Milliseconds per phase (bloom, footer, locate, read, convert, write, ...). */
  phaseMs: Record<string, number>
}

/** What a reader returns to the coordinator: never trace data, only where it is and what happened. */
export interface ReaderSummary {
  shard: number
  partKey: string
  tracesFound: number
  failedBlocks: BlockFailure[]
  stats: ReadStats
  durationMs: number
}

/** Port through which the coordinator runs reader jobs: in-process workers, or Lambda. */
export interface Invoker {
  /** Run one job to completion; reject on failure or timeout (the coordinator retries once). */
  invoke(job: ReaderJob, options?: { signal?: AbortSignal }): Promise<ReaderSummary>
}

/** Per-ID outcome. */
export type TraceStatus = 'found' | 'not_found' | 'partial' | 'too_large'

/** One line of the NDJSON result; `trace` is exactly the `trace` field of Tempo's /api/v2/traces/{id}. */
export interface ResultLine {
  traceId: string
  status: TraceStatus
  trace?: unknown
  message?: string
}

/** Outcome of one shard in the manifest. */
export interface ShardOutcome {
  shard: number
  blockIdMin: string
  blockIdMax: string
  blocks: number
  traceIds: number
  status: 'ok' | 'retried' | 'failed'
  attempts: number
  /** Calls the reader service refused for now (throttled) and the coordinator sent again; not attempts. */
  throttled?: number
  error?: string
  failedBlocks: BlockFailure[]
  durationMs: number
}

/** What a new run of a request whose stored result was `partial` changed (see `Manifest.rerun`). */
export interface RerunReport {
  /** The run this one replaces, with its outcome. */
  previousRun: number
  previousStatus: 'complete' | 'partial'
  previousCounts: Record<TraceStatus, number> & { requested: number }
  previousCreatedAt: string
  /** IDs whose status differs from the previous run's. */
  changed: number
  /** Per status change (`"partial->found"`), how many IDs made it. */
  transitions: Record<string, number>
  /** Set when the previous result could not be read back, so `changed` and `transitions` are unknown. */
  previousUnreadable?: string
}

/**
 * An answer that is right but probably not what the caller meant (see `batchWarnings`): `no-blocks` (the
 * tenant has none: a misspelled tenant or store?), `window-excludes-all-blocks`, `window-in-milliseconds`.
 */
export interface BatchWarning {
  code: 'no-blocks' | 'window-excludes-all-blocks' | 'window-in-milliseconds'
  message: string
}

/** The manifest written beside the result and returned to callers (kept well under 256 KiB). */
export interface Manifest {
  requestId: string
  tenant: string
  /**
   * Digest of the normalised request (`requestDigest`): a later request with the same ID is answered
   * from this manifest only when its digest is the same; otherwise it is refused as a conflict.
   */
  requestDigest: string
  /** Which run of the request wrote this manifest: 1, then +1 for each retry of a `partial` result. */
  run: number
  /** Present on runs after the first: what the retry changed. */
  rerun?: RerunReport
  status: 'complete' | 'partial'
  counts: Record<TraceStatus, number> & { requested: number }
  /** Key of the NDJSON result in the result store, and a URL-ish location for humans. */
  resultKey: string
  location: string
  shards: ShardOutcome[]
  /** Why a `complete` answer may still not be what was meant; empty when nothing looks off (absent in older manifests). */
  warnings?: BatchWarning[]
  stats: ReadStats & {
    blocksListed: number
    blocksPrunedByTime: number
    /** Blocks whose `meta.json` exists but could not be read (their IDs are `partial`). */
    blocksUnreadable?: number
    discovery: 'tenant-index' | 'listing'
    durationMs: Record<string, number>
  }
  createdAt: string
}
