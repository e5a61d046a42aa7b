import { availableParallelism } from 'node:os'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { TempoBatchError } from '../core/contract/errors.js'
import type { Invoker, ReaderJob, ReaderSummary } from '../core/contract/types.js'
import { openReaderDeps } from './embedded-reader-deps.js'
import { closeStore } from './store-url.js'
import type { BlockCache } from '../core/search/block-cache.js'

/** How each worker opens its stores (objects cannot cross threads, their URLs can). */
export interface EmbeddedWorkerConfig {
  /** Tempo backend: a directory or `s3://bucket[/prefix]`. */
  store: string
  /** Result store: a directory or `s3://bucket[/prefix]`. */
  results: string
  endpoint?: string
  layoutPrefix?: string
  blockConcurrency?: number
  idsPerChunk?: number
  readWindowBytes?: number
  fetchRoundBytes?: number
}

/** Options of the embedded pool. */
export interface EmbeddedInvokerOptions extends EmbeddedWorkerConfig {
  /**
   * Most worker threads (default: the number of cores). Threads start only when a job waits and every
   * running thread is busy, so a batch of few shards starts as few threads as it has shards.
   */
  workers?: number
  /**
   * Jobs with at most this many IDs run on the calling thread instead (default
   * `DEFAULT_IN_PROCESS_MAX_IDS`): a worker must load the reader's modules before it reads anything,
   * which costs more than reading a few traces.
   */
  inProcessMaxIds?: number
  /** Bloom shards and footers kept for the jobs run on the calling thread (objects cannot cross threads). */
  cache?: BlockCache
  /**
   * Old-generation heap cap per worker in MB (default 512): V8 otherwise lets each thread's garbage
   * grow for a long time, and the threads share this process's RSS. Not lower: a reader decoding the
   * pages of Tempo-sized row groups (tens of MB, 256 KiB pages) ran out of a 128 MB heap.
   */
  workerHeapMb?: number
}

/** Message to a worker. */
export interface WorkerTask {
  id: number
  job: ReaderJob
}

/** Message back from a worker. */
export type WorkerReply = { id: number; summary: ReaderSummary; error?: undefined } | { id: number; error: string; summary?: undefined }

// tsx's ESM API entry (its `import` export), found from the package root: `require.resolve` would pick the CJS one.
function tsxEsmApiUrl(): string {
  const root = dirname(createRequire(import.meta.url).resolve('tsx/package.json'))
  return pathToFileURL(join(root, 'dist', 'esm', 'api', 'index.mjs')).href
}

/**
 * Default `inProcessMaxIds`. On Tempo's bench blocks, whole-process fetches of 2-64 IDs cost 0.5-1.3 s
 * less CPU on this thread than on two fresh workers (module loading per thread, and a small young
 * generation there), and were faster in wall time on the shared 2-core machine too; past a few dozen
 * IDs a second core pays for its start-up.
 */
export const DEFAULT_IN_PROCESS_MAX_IDS = 16

/** A reader failed inside the embedded pool. */
export class EmbeddedReaderError extends TempoBatchError {}

interface Task {
  id: number
  job: ReaderJob
  resolve: (summary: ReaderSummary) => void
  reject: (error: Error) => void
  signal?: AbortSignal
}

interface Slot {
  worker: Worker
  task?: Task
}

/**
 * The embedded `Invoker`: reader jobs run on a `worker_threads` pool of up to one thread per core, so
 * parquet decoding uses every core; threads start only when a job waits and every thread is busy (never
 * more than jobs waiting), and small jobs run on the calling thread (see `inProcessMaxIds`). A job
 * aborted while running on a worker terminates it (decoding cannot be interrupted otherwise); the next
 * job starts a fresh one.
 */
export class EmbeddedInvoker implements Invoker {
  private readonly slots: Slot[] = []
  private readonly queue: Task[] = []
  private readonly maxWorkers: number
  private local: Promise<{ run: (job: ReaderJob) => Promise<ReaderSummary>; close: () => Promise<void> }> | undefined
  private started = 0
  private nextId = 1
  private closed = false
  /** Most threads alive at once so far. */
  peakThreads = 0

  constructor(private readonly options: EmbeddedInvokerOptions) {
    this.maxWorkers = Math.max(1, Math.floor(options.workers ?? availableParallelism()))
  }

  /** Worker threads alive now. */
  get threads(): number {
    return this.slots.length
  }

  /** Worker threads started so far (replacements included). */
  get threadsStarted(): number {
    return this.started
  }

  /** Run a small job here, or queue it for the next free (or newly started) worker. */
  invoke(job: ReaderJob, options?: { signal?: AbortSignal }): Promise<ReaderSummary> {
    if (this.closed) return Promise.reject(new EmbeddedReaderError('embedded invoker: closed'))
    if (this.runsHere(job)) return this.invokeHere(job, options?.signal)
    return new Promise<ReaderSummary>((resolve, reject) => {
      const task: Task = { id: this.nextId++, job, resolve, reject, signal: options?.signal }
      if (task.signal?.aborted) return reject(new EmbeddedReaderError(`embedded invoker: shard ${job.shard} aborted`))
      task.signal?.addEventListener('abort', () => this.abort(task), { once: true })
      this.queue.push(task)
      this.pump()
    })
  }

  /** Stop every worker; pending jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true
    await this.local?.then((local) => local.close(), () => undefined)
    for (const task of this.queue.splice(0)) task.reject(new EmbeddedReaderError('embedded invoker: closed'))
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.task?.reject(new EmbeddedReaderError('embedded invoker: closed'))
        slot.task = undefined
        await slot.worker.terminate()
      }),
    )
  }

  private runsHere(job: ReaderJob): boolean {
    // Offloaded ID lists mean a big job; the list is not known here without reading it.
    return job.idsKey === undefined && job.traceIds.length <= (this.options.inProcessMaxIds ?? DEFAULT_IN_PROCESS_MAX_IDS)
  }

  // The reader's modules load on first use only: a batch that never runs a job here never pays for them.
  private async invokeHere(job: ReaderJob, signal: AbortSignal | undefined): Promise<ReaderSummary> {
    signal?.throwIfAborted()
    this.local ??= (async () => {
      const { workers: _w, workerHeapMb: _h, inProcessMaxIds: _m, cache, ...config } = this.options
      const [{ runReaderJob }, deps] = await Promise.all([import('../core/batch/reader.js'), openReaderDeps(config)])
      if (cache) deps.cache = cache
      return { run: (next: ReaderJob) => runReaderJob(next, deps), close: () => closeStore(deps.tempoStore) }
    })()
    return (await this.local).run(job)
  }

  private spawn(): Slot {
    this.started++
    const { workers: _workers, workerHeapMb, inProcessMaxIds: _inProcess, cache: _cache, ...config } = this.options
    // A small young generation keeps each thread's RSS down; the decoders' garbage dies young anyway.
    const resourceLimits = { maxOldGenerationSizeMb: workerHeapMb ?? 512, maxYoungGenerationSizeMb: 8 }
    const worker = import.meta.url.endsWith('.ts')
      ? // Running from TypeScript sources (tests, tsx): register tsx's loader inside the worker, then load it.
        new Worker(
          `import(${JSON.stringify(tsxEsmApiUrl())})` +
            `.then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./embedded-worker.ts', import.meta.url).href)}) })`,
          { eval: true, workerData: config, resourceLimits },
        )
      : new Worker(new URL('./embedded-worker.js', import.meta.url), { workerData: config, resourceLimits })
    const slot: Slot = { worker }
    worker.on('message', (reply: WorkerReply) => {
      const task = slot.task
      if (!task || task.id !== reply.id) return
      slot.task = undefined
      if (reply.summary) task.resolve(reply.summary)
      else task.reject(new EmbeddedReaderError(reply.error ?? 'embedded invoker: unknown reader error'))
      this.pump()
    })
    worker.on('error', (error) => this.replace(slot, new EmbeddedReaderError(`embedded invoker: worker crashed: ${error.message}`)))
    worker.on('exit', () => {
      if (!this.closed && this.slots.includes(slot)) this.replace(slot, new EmbeddedReaderError('embedded invoker: worker exited'))
    })
    worker.unref()
    return slot
  }

  private replace(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot)
    if (index < 0) return
    slot.task?.reject(error)
    slot.task = undefined
    this.slots.splice(index, 1)
    void slot.worker.terminate()
    this.pump()
  }

  private abort(task: Task): void {
    const queued = this.queue.indexOf(task)
    if (queued >= 0) this.queue.splice(queued, 1)
    const running = this.slots.find((s) => s.task === task)
    task.reject(new EmbeddedReaderError(`embedded invoker: shard ${task.job.shard} aborted`))
    if (running) this.replace(running, new EmbeddedReaderError('aborted'))
  }

  private pump(): void {
    if (this.closed) return
    for (const slot of this.slots) if (!slot.task && this.queue.length > 0) this.assign(slot, this.queue.shift()!)
    while (this.queue.length > 0 && this.slots.length < this.maxWorkers) {
      const slot = this.spawn()
      this.slots.push(slot)
      this.assign(slot, this.queue.shift()!)
    }
    this.peakThreads = Math.max(this.peakThreads, this.slots.length)
    for (const slot of this.slots) if (!slot.task) slot.worker.unref()
  }

  private assign(slot: Slot, task: Task): void {
    slot.task = task
    slot.worker.ref()
    slot.worker.postMessage({ id: task.id, job: task.job } satisfies WorkerTask)
  }
}
