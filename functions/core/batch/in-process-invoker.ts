import { runReaderJob, type ReaderDeps } from './reader.js'
import type { Invoker, ReaderJob, ReaderSummary } from '../contract/types.js'

/** Runs reader jobs on the calling thread (tests, tiny batches, and the worker side of the embedded pool). */
export class InProcessInvoker implements Invoker {
  constructor(private readonly deps: ReaderDeps) {}

  /** Run the job here; the signal is honoured before starting only (decoding is not interruptible). */
  async invoke(job: ReaderJob, options?: { signal?: AbortSignal }): Promise<ReaderSummary> {
    options?.signal?.throwIfAborted()
    return runReaderJob(job, this.deps)
  }
}
