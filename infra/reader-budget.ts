/**
 * How the reader's concurrency is shared. Every coordinator that may run at the same time gets an equal
 * share as its fan-out (readers in flight and shards per request), so together they stay within the
 * reader's concurrency and Lambda seldom has to refuse an invoke (a refused one is retried after a backoff).
 */

/** Coordinators that may run at the same time, per entry point. */
export interface CoordinatorSlots {
  /** API requests in flight: the stage's burst limit (each holds a coordinator for up to 29 s). */
  api: number
  /** SQS coordinator invocations: the event source's maximum concurrency. */
  sqs: number
  /** Step Functions coordinator tasks: the chunk Map's concurrency plus one two-groups execution's two. */
  stepFunctions: number
}

/** Each coordinator's share of the reader's concurrency. */
export interface ReaderBudget {
  /** Coordinators that may run at once (the sum of the slots). */
  coordinators: number
  /** Reader invocations one coordinator keeps in flight. */
  invokeConcurrency: number
  /** Shards one request is planned into (one wave of invocations). */
  maxReaders: number
}

/** Split `readerConcurrency` evenly over every coordinator that may run at once (at least one reader each). */
export function readerBudget(readerConcurrency: number, slots: CoordinatorSlots): ReaderBudget {
  const coordinators = slots.api + slots.sqs + slots.stepFunctions
  const share = Math.max(1, Math.floor(readerConcurrency / coordinators))
  return { coordinators, invokeConcurrency: share, maxReaders: share }
}
