import { decodeTrace, encodeTrace } from '../otlp/protobuf.js'
import type { Trace } from '../otlp/model.js'
import type { ObjectStore } from '../storage/object-store.js'
import { readObjectChunks } from '../storage/read-stream.js'
import { ndjsonLines } from './ndjson.js'
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
  /**
   * The trace finalised as if no other shard had it (sorted when contributors >= 2, Zipkin span IDs
   * de-duplicated), in Tempo's JSON dialect: the merge uses it as is when only this shard found the ID,
   * so readers (in parallel) do that work instead of the coordinator.
   */
  json?: string
}

/** Serialise a part line. */
export function formatPartLine(line: PartLine): string {
  const proto = Buffer.from(encodeTrace(line.trace)).toString('base64')
  const head = JSON.stringify({ traceId: line.traceId, contributors: line.contributors, exceeded: line.exceeded || undefined, proto })
  // `json` is spliced in verbatim: it is already JSON, and re-escaping would cost a full copy.
  return line.json === undefined ? head : `${head.slice(0, -1)},"json":${JSON.stringify(line.json)}}`
}

/** A part line as read back: the trace stays encoded until someone needs the model. */
export interface ParsedPartLine {
  traceId: string
  contributors: number
  exceeded: boolean
  json?: string
  /** Decode the trace (protobuf). */
  trace(): Trace
}

/** Parse a part line (throws `ResultFormatError`). */
export function parsePartLine(text: string, key: string): ParsedPartLine {
  let value: { traceId?: unknown; contributors?: unknown; exceeded?: unknown; proto?: unknown; json?: unknown }
  try {
    value = JSON.parse(text) as typeof value
  } catch {
    throw new ResultFormatError(key, 'a part line is not JSON')
  }
  const { traceId, contributors, proto, json } = value
  if (typeof traceId !== 'string' || typeof proto !== 'string' || typeof contributors !== 'number') {
    throw new ResultFormatError(key, 'a part line lacks traceId, contributors or proto')
  }
  return {
    traceId,
    contributors,
    exceeded: value.exceeded === true,
    ...(typeof json === 'string' ? { json } : {}),
    trace: () => decodeTrace(Buffer.from(proto, 'base64')),
  }
}

// The merge reads every shard's part at once, so each holds small chunks (two of them) rather than its object.
const PART_READ_CHUNK_BYTES = 1024 * 1024

/** Stream a reader's partial result (gzip or plain, told by its first bytes). */
export async function* readPartLines(store: ObjectStore, key: string): AsyncIterable<ParsedPartLine> {
  for await (const line of ndjsonLines(readObjectChunks(store, key, { chunkBytes: PART_READ_CHUNK_BYTES }))) yield parsePartLine(line, key)
}

/** Number of spans in a trace. */
export function countSpans(trace: Trace | undefined): number {
  let n = 0
  for (const rs of trace?.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) n += ss.spans?.length ?? 0
  return n
}
