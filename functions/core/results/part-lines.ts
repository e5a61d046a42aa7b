import type { FinalizedStage } from '../combine/finalize.js'
import { describeError } from '../contract/errors.js'
import { traceToJson } from '../otlp/json.js'
import { traceFromJson } from '../otlp/json-parse.js'
import type { Trace } from '../otlp/model.js'
import { decodeTrace, encodeTrace } from '../otlp/protobuf.js'
import { ResultFormatError } from './result-lines.js'

/** A reader's partial result for one ID: the shard's combined trace, unfinalised and finalised. */
export interface PartLine {
  traceId: string
  /** Non-empty partial traces (blocks) combined into the trace; Tempo sorts only when the total is >= 2. */
  contributors: number
  /** The shard's combiner already passed `maxBytesPerTrace`. */
  exceeded: boolean
  /** The combined trace, unsorted: the input of the coordinator's combine. */
  trace: Trace
  /** `trace` finalised as if no other shard had the ID (see `finalizeStage`). */
  finalized: FinalizedStage
}

/** A part line as the merge sees it: each form of the trace is produced only when asked for. */
export interface ParsedPartLine {
  traceId: string
  contributors: number
  exceeded: boolean
  /** The finalised trace in Tempo's JSON dialect. */
  json(): string
  /** The finalised trace as a model. */
  finalized(): Trace
  /** The unfinalised trace, as input for combining with other shards' traces. */
  trace(): Trace
}

// The trace comes last and verbatim, so a reader of the line parses only the short head before it.
const TRACE_MEMBER = ',"trace":'

/**
 * Serialise a part line with the trace encoded once, as the finalised Tempo JSON the result line embeds:
 * `{"traceId":…,"contributors":…[,"exceeded":true][,"proto":…],"trace":<json>}`. The merge copies that
 * JSON as it is when only this shard found the ID (the common case), so readers, in parallel, do the
 * encoding instead of the coordinator; when several shards found it the merge parses the JSON back for
 * the combiner. Only where finalising is not reversible that way does the unfinalised trace come along
 * too, as base64 protobuf (`proto`).
 */
export function formatPartLine(line: PartLine): string {
  const proto = line.finalized.recombinable ? undefined : Buffer.from(encodeTrace(line.trace)).toString('base64')
  const head = JSON.stringify({ traceId: line.traceId, contributors: line.contributors, exceeded: line.exceeded || undefined, proto })
  return `${head.slice(0, -1)}${TRACE_MEMBER}${traceToJson(line.finalized.trace)}}`
}

/** Parse a serialised part line (throws `ResultFormatError`). */
export function parsePartLine(text: string, key: string): ParsedPartLine {
  const at = text.indexOf(TRACE_MEMBER)
  if (at < 0 || !text.endsWith('}')) throw new ResultFormatError(key, 'a part line lacks its trace')
  let head: { traceId?: unknown; contributors?: unknown; exceeded?: unknown; proto?: unknown }
  try {
    head = JSON.parse(`${text.slice(0, at)}}`) as typeof head
  } catch {
    throw new ResultFormatError(key, 'a part line is not JSON')
  }
  const { traceId, contributors, proto } = head
  if (typeof traceId !== 'string' || typeof contributors !== 'number' || (proto !== undefined && typeof proto !== 'string')) {
    throw new ResultFormatError(key, 'a part line lacks traceId or contributors')
  }
  const json = text.slice(at + TRACE_MEMBER.length, -1)
  const finalized = (): Trace => {
    try {
      return traceFromJson(JSON.parse(json))
    } catch (error) {
      throw new ResultFormatError(key, `the trace of ${traceId} does not parse: ${describeError(error)}`)
    }
  }
  return {
    traceId,
    contributors,
    exceeded: head.exceeded === true,
    json: () => json,
    finalized,
    trace: proto === undefined ? finalized : () => decodeTrace(Buffer.from(proto, 'base64')),
  }
}

/** A part line handed over in memory: nothing is serialised, the JSON only when asked for. */
export function partLineView(line: PartLine): ParsedPartLine {
  return {
    traceId: line.traceId,
    contributors: line.contributors,
    exceeded: line.exceeded,
    json: () => traceToJson(line.finalized.trace),
    finalized: () => line.finalized.trace,
    trace: () => line.trace,
  }
}

/** Number of spans in a trace. */
export function countSpans(trace: Trace | undefined): number {
  let n = 0
  for (const rs of trace?.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) n += ss.spans?.length ?? 0
  return n
}
