import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isS3Spec, openStore } from '../adapters/store-url.js'
import { runBatch, type CoordinatorDeps } from '../core/batch/coordinator.js'
import { InProcessInvoker } from '../core/batch/in-process-invoker.js'
import { parseBatchRequest } from '../core/contract/request.js'
import type { Manifest } from '../core/contract/types.js'
import { readResultLines } from '../core/results/result-lines.js'
import { TempoLayout } from '../core/storage/layout.js'
import { MemoryStore } from '../core/storage/memory-store.js'
import type { ObjectStore } from '../core/storage/object-store.js'
import { createEmbeddedRuntime } from '../adapters/embedded-runtime.js'
import { traceResultOf, type TraceResult } from './trace-result.js'

export type { TraceResult } from './trace-result.js'

/** What `fetchTraces` / `fetchBatch` read, and from where. */
export interface FetchTracesOptions {
  /** Tempo's backend: a directory, `s3://bucket[/prefix]`, or any `ObjectStore` (read in this thread). */
  store: string | ObjectStore
  tenant: string
  /** Hex trace IDs (1-32 digits, Tempo's rules); at most 10,000 distinct. */
  traceIds: readonly string[]
  /** Unix seconds; a block is searched when `block start < end` and `block end > start`. */
  start?: number
  end?: number
  /** Tempo's `max_bytes_per_trace` (default 5,000,000; 0 = no limit). */
  maxBytesPerTrace?: number
  /** Idempotency key: a batch whose manifest exists in `results` is answered from it. */
  requestId?: string
  /** S3-compatible endpoint for `s3://` locations (implies path-style). */
  endpoint?: string
  /** Tempo's storage prefix inside `store`. */
  prefix?: string
  /** Where results and reader parts go: a directory or `s3://` (default: a temporary directory that `close` removes). */
  results?: string
  /** Reader worker threads (default: one per core); 0 reads in this thread. Ignored for an `ObjectStore`. */
  workers?: number
}

/** A finished batch: its manifest and its results, read back on demand. */
export interface FetchedBatch {
  manifest: Manifest
  /** The results in ascending trace-ID order, streamed from the result store. */
  results(): AsyncIterable<TraceResult>
  /** Remove the temporary result directory, if this batch made one. */
  close(): Promise<void>
}

/**
 * Run one batch embedded (the CLI's `fetch` as a function): readers on worker threads for a store
 * location, in this thread for an `ObjectStore`. Throws `InvalidRequestError` for bad input.
 */
export async function fetchBatch(options: FetchTracesOptions): Promise<FetchedBatch> {
  const request = parseBatchRequest({
    tenant: options.tenant,
    traceIds: [...options.traceIds],
    start: options.start,
    end: options.end,
    ...(options.requestId !== undefined ? { requestId: options.requestId } : {}),
    ...(options.maxBytesPerTrace !== undefined ? { maxBytesPerTrace: options.maxBytesPerTrace } : {}),
  })
  // Worker threads share results through a location; an in-thread batch over an ObjectStore keeps them in memory.
  const scratch = options.results === undefined && typeof options.store === 'string' ? await mkdtemp(join(tmpdir(), 'tempo-batch-')) : undefined
  const results = options.results ?? scratch
  const removeScratch = async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true })
  }
  try {
    const { deps, close } = await wire(options, results)
    let manifest: Manifest
    try {
      manifest = (await runBatch(request, deps)).manifest
    } finally {
      await close()
    }
    return {
      manifest,
      async *results() {
        for await (const line of readResultLines(deps.resultStore, manifest.resultKey)) yield traceResultOf(line)
      },
      close: removeScratch,
    }
  } catch (error) {
    await removeScratch()
    throw error
  }
}

/** The results of one batch, one per distinct requested ID in ascending order (see `fetchBatch`). */
export async function* fetchTraces(options: FetchTracesOptions): AsyncGenerator<TraceResult> {
  const batch = await fetchBatch(options)
  try {
    yield* batch.results()
  } finally {
    await batch.close()
  }
}

async function wire(options: FetchTracesOptions, results: string | undefined): Promise<{ deps: CoordinatorDeps; close(): Promise<void> }> {
  const storeOptions = options.endpoint ? { endpoint: options.endpoint } : {}
  if (typeof options.store === 'string' && options.workers !== 0 && results !== undefined) {
    const runtime = await createEmbeddedRuntime({ store: options.store, results, prefix: options.prefix ?? '', ...storeOptions }, options.workers ? { workers: options.workers } : {})
    return { deps: runtime.deps, close: () => runtime.close() }
  }
  const tempoStore = typeof options.store === 'string' ? await openStore(options.store, storeOptions) : options.store
  const layout = new TempoLayout(options.prefix ?? '')
  const resultStore = results === undefined ? new MemoryStore() : await openStore(results, storeOptions)
  const invoker = new InProcessInvoker({ tempoStore, layout, resultStore })
  // Parts cross a network only when the results live in S3 (as in the embedded runtime); elsewhere gzip is pure CPU.
  const compressParts = results !== undefined && isS3Spec(results)
  return { deps: { tempoStore, layout, resultStore, resultsPrefix: '', invoker, minBlocksPerShard: 1, compressParts }, close: async () => undefined }
}
