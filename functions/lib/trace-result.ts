import type { ResultLine, TraceStatus } from '../core/contract/types.js'
import { traceFromJson } from '../core/otlp/json-parse.js'
import type { Trace } from '../core/otlp/model.js'

/** One requested ID's outcome. */
export interface TraceResult {
  /** 32 lowercase hex digits. */
  traceId: string
  status: TraceStatus
  /** The trace (OTLP model: `Uint8Array` IDs, `bigint` times); absent when no spans were found. */
  trace?: Trace
  message?: string
}

/** A result line (Tempo's JSON dialect inside) as a `TraceResult`. */
export function traceResultOf(line: ResultLine): TraceResult {
  const { trace, ...rest } = line
  return trace === undefined ? rest : { ...rest, trace: traceFromJson(trace) }
}
