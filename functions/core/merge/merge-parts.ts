import { TraceCombiner, finalizeTrace, partialTraceMessage, type TraceFinalizer } from '../combine/combiner.js'
import type { ParsedPartLine } from '../results/part-lines.js'
import type { TraceStatus } from '../contract/types.js'
import type { Trace } from '../otlp/model.js'
import { mergeSorted } from './k-way.js'

/** Inputs of the final merge. */
export interface MergePartsInput {
  /** Every distinct requested ID, ascending: one output line each. */
  requested: readonly string[]
  /** The readers' partial results, in shard order (the order Tempo's frontend consumes its jobs). */
  parts: AsyncIterable<ParsedPartLine>[]
  /** Why an ID may be incomplete (failed shards or blocks that should have been searched for it). */
  failuresFor: (traceId: string) => readonly string[]
  maxBytesPerTrace: number
  /**
   * False when the caller only needs the JSON: an ID found by one shard alone then keeps that reader's
   * finalised JSON (`traceJson`) and is never parsed here (default true: `trace` is always set).
   */
  needModel?: boolean
  /**
   * How each combined trace is finished (default `finalizeTrace`, as Tempo's query-frontend answers;
   * `querierFinalizeTrace` answers as one querier does). Any other than the default needs the model.
   */
  finalize?: TraceFinalizer
  /** Receives each finished ID, in ID order. */
  onResult: (result: MergedTrace) => Promise<void>
}

/** The final outcome for one requested ID. */
export interface MergedTrace {
  traceId: string
  status: TraceStatus
  /** Combined and finalised (sorted when >= 2 blocks contributed, Zipkin span IDs de-duplicated). */
  trace?: Trace
  /** The same trace already in Tempo's JSON dialect (set instead of `trace` on the fast path). */
  traceJson?: string
  message?: string
}

/** Tempo's v2 message for a trace over `max_bytes_per_trace`. */
export const tooLargeMessage = partialTraceMessage

/**
 * The streaming k-way merge by trace ID: per ID, combine the shards' partial traces with Tempo's
 * combiner (first shard wins; sort when >= 2 blocks contributed in total; Zipkin span-ID dedupe),
 * decide the status and hand it on. Memory holds one ID's traces at a time.
 */
export async function mergeParts(input: MergePartsInput): Promise<Record<TraceStatus, number>> {
  const counts: Record<TraceStatus, number> = { found: 0, not_found: 0, partial: 0, too_large: 0 }
  const groups = mergeSorted(input.parts, (line) => line.traceId)[Symbol.asyncIterator]()
  let pending = await groups.next()
  const finalize = input.finalize ?? finalizeTrace
  for (const traceId of input.requested) {
    while (!pending.done && pending.value.key < traceId) pending = await groups.next()
    const lines = !pending.done && pending.value.key === traceId ? pending.value.items.map((i) => i.item) : []
    const only = lines.length === 1 ? lines[0]! : undefined
    let trace: Trace | undefined
    let traceJson: string | undefined
    let exceeded: boolean
    if (only !== undefined && finalize === finalizeTrace) {
      // One shard had the ID: its reader already combined and finalised exactly what we would.
      exceeded = only.exceeded
      if (input.needModel === false) traceJson = only.json()
      else trace = only.finalized()
    } else {
      const combiner = new TraceCombiner(input.maxBytesPerTrace)
      let contributors = 0
      for (const line of lines) {
        if (combiner.consume(line.trace(), line.contributors, line.exceeded)) contributors += line.contributors
      }
      exceeded = combiner.exceeded
      const combined = contributors > 0 ? combiner.result({ sort: false }) : undefined
      trace = combined ? finalize(combined, contributors) : undefined
    }
    const failures = input.failuresFor(traceId)
    const messages: string[] = []
    if (exceeded) messages.push(tooLargeMessage(input.maxBytesPerTrace))
    if (failures.length > 0) messages.push(describeFailures(failures))
    const status: TraceStatus = failures.length > 0 ? 'partial' : exceeded ? 'too_large' : trace || traceJson ? 'found' : 'not_found'
    counts[status]++
    const message = messages.length > 0 ? messages.join('; ') : undefined
    const result: MergedTrace = { traceId, status }
    if (trace) result.trace = trace
    if (traceJson !== undefined) result.traceJson = traceJson
    if (message !== undefined) result.message = message
    await input.onResult(result)
  }
  // Drain so every part is checked for order and fully read.
  while (!pending.done) pending = await groups.next()
  return counts
}

function describeFailures(failures: readonly string[]): string {
  const shown = failures.slice(0, 3).join('; ')
  const more = failures.length > 3 ? `; and ${failures.length - 3} more` : ''
  return `incomplete: ${shown}${more}`
}
