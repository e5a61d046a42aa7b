import { decodeTrace, encodeTrace } from '../otlp/protobuf.js'
import type { Trace } from '../otlp/model.js'
import type { ObjectStore } from '../storage/object-store.js'
import { looksGzipped, ndjsonLines } from './ndjson.js'
import { ResultFormatError } from './result-lines.js'

/**
 * One line of a reader's partial result: the shard's combined trace for one ID. The trace travels as
 * base64 protobuf (`tempopb.Trace`): lossless for the model, compact, and the unit Tempo's size limit
 * is measured in.
 */
export interface PartLine {
  traceId: string
  /** Non-empty partial traces (blocks) combined into `trace`; Tempo sorts only when the total is >= 2. */
  contributors: number
  /** The shard's combiner already passed `maxBytesPerTrace`. */
  exceeded: boolean
  trace: Trace
}

/** Serialise a part line. */
export function formatPartLine(line: PartLine): string {
  const proto = Buffer.from(encodeTrace(line.trace)).toString('base64')
  return JSON.stringify({ traceId: line.traceId, contributors: line.contributors, exceeded: line.exceeded || undefined, proto })
}

/** Parse a part line (throws `ResultFormatError`). */
export function parsePartLine(text: string, key: string): PartLine {
  let value: { traceId?: unknown; contributors?: unknown; exceeded?: unknown; proto?: unknown }
  try {
    value = JSON.parse(text) as typeof value
  } catch {
    throw new ResultFormatError(key, 'a part line is not JSON')
  }
  if (typeof value.traceId !== 'string' || typeof value.proto !== 'string' || typeof value.contributors !== 'number') {
    throw new ResultFormatError(key, 'a part line lacks traceId, contributors or proto')
  }
  return { traceId: value.traceId, contributors: value.contributors, exceeded: value.exceeded === true, trace: decodeTrace(Buffer.from(value.proto, 'base64')) }
}

/** Stream a reader's partial result. */
export async function* readPartLines(store: ObjectStore, key: string): AsyncIterable<PartLine> {
  const bytes = await store.get(key)
  for await (const line of ndjsonLines(bytes, looksGzipped(bytes))) yield parsePartLine(line, key)
}

/** Number of spans in a trace. */
export function countSpans(trace: Trace | undefined): number {
  let n = 0
  for (const rs of trace?.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) n += ss.spans?.length ?? 0
  return n
}
