import { ServerBusyError } from '../core/contract/errors.js'

/** How much batch work the local server takes on at once. */
export interface AdmissionLimits {
  /** Batches (and trace lookups, each a batch of one) running at once (default 4). */
  maxBatches?: number
  /** Trace IDs of the running batches together (default 20,000). */
  maxIds?: number
  /** Seconds a refused caller is asked to wait (`Retry-After`, default 2). */
  retryAfterSeconds?: number
}

/** Defaults of `AdmissionLimits`. */
export const ADMISSION_DEFAULTS = { maxBatches: 4, maxIds: 20_000, retryAfterSeconds: 2 } as const

/**
 * Back-pressure for the local server: a batch is admitted while fewer than `maxBatches` run and their IDs
 * stay within `maxIds`, else refused with `ServerBusyError` (429 with `Retry-After`) instead of queueing
 * without bound. One batch is always admitted when nothing runs, however large, so every valid request
 * can be served.
 */
export class Admission {
  private readonly limits: Required<AdmissionLimits>
  private batches = 0
  private ids = 0
  /** Most batches and IDs that ran at once, and how many were refused. */
  readonly stats = { peakBatches: 0, peakIds: 0, admitted: 0, refused: 0 }

  constructor(limits: AdmissionLimits = {}) {
    this.limits = { ...ADMISSION_DEFAULTS, ...limits }
  }

  /** Run `work` for a batch of `ids` trace IDs if there is room now; throw `ServerBusyError` if not. */
  async run<T>(ids: number, work: () => Promise<T>): Promise<T> {
    const idle = this.batches === 0
    if (!idle && (this.batches + 1 > this.limits.maxBatches || this.ids + ids > this.limits.maxIds)) {
      this.stats.refused++
      throw new ServerBusyError(this.limits.retryAfterSeconds, `${this.batches} batches with ${this.ids} trace IDs are running (at most ${this.limits.maxBatches} batches, ${this.limits.maxIds} IDs)`)
    }
    this.batches++
    this.ids += ids
    this.stats.admitted++
    this.stats.peakBatches = Math.max(this.stats.peakBatches, this.batches)
    this.stats.peakIds = Math.max(this.stats.peakIds, this.ids)
    try {
      return await work()
    } finally {
      this.batches--
      this.ids -= ids
    }
  }
}
