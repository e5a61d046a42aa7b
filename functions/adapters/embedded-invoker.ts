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
  /** Worker threads (default: the number of cores). */
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
 * The embedded `Invoker`: reader jobs run in-process on a `worker_threads` pool sized to the cores, so
 * parquet decoding uses every core. A job aborted while running terminates its worker (decoding cannot
 * be interrupted otherwise) and a fresh one takes its place.
 */
export class EmbeddedInvoker implements Invoker {
  private readonly slots: Slot[] = []
  private readonly queue: Task[] = []
  private nextId = 1
  private closed = false

  constructor(private readonly options: EmbeddedInvokerOptions) {
    const count = Math.max(1, options.workers ?? availableParallelism())
    for (let i = 0; i < count; i++) this.slots.push(this.spawn())
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
    if (!this.closed) this.slots.push(this.spawn())
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
