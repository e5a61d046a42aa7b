import { availableParallelism } from 'node:os'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { TempoBatchError } from '../core/contract/errors.js'
import type { Invoker, ReaderJob, ReaderSummary } from '../core/contract/types.js'

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
 * The embedded `Invoker`: reader jobs run in-process on a `worker_threads` pool of at most one thread per
 * core by default, so parquet decoding uses every core. Threads start on demand (never more than jobs
 * waiting). A job aborted while running terminates its worker (decoding cannot be interrupted otherwise)
 * and the next job starts a fresh one.
 */
export class EmbeddedInvoker implements Invoker {
  private readonly slots: Slot[] = []
  private readonly queue: Task[] = []
  private readonly maxWorkers: number
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

  /** Queue a job for the next free worker. */
  invoke(job: ReaderJob, options?: { signal?: AbortSignal }): Promise<ReaderSummary> {
    if (this.closed) return Promise.reject(new EmbeddedReaderError('embedded invoker: closed'))
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
    for (const task of this.queue.splice(0)) task.reject(new EmbeddedReaderError('embedded invoker: closed'))
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.task?.reject(new EmbeddedReaderError('embedded invoker: closed'))
        slot.task = undefined
        await slot.worker.terminate()
      }),
    )
  }

  private spawn(): Slot {
    const { workers: _workers, workerHeapMb, ...config } = this.options
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
    const idle = this.slots.filter((slot) => !slot.task).length
    for (let extra = Math.min(this.queue.length - idle, this.maxWorkers - this.slots.length); extra > 0; extra--) this.slots.push(this.spawn())
    this.peakThreads = Math.max(this.peakThreads, this.slots.length)
    for (const slot of this.slots) {
      if (slot.task || this.queue.length === 0) continue
      const task = this.queue.shift()!
      slot.task = task
      slot.worker.ref()
      slot.worker.postMessage({ id: task.id, job: task.job } satisfies WorkerTask)
    }
    for (const slot of this.slots) if (!slot.task) slot.worker.unref()
  }
}
