import type { Span, Trace } from '../../functions/core/otlp/model.js'
import { resource, sid, TRACE_ID, trace } from '../combine/builders.js'

/** A hand-built span: id, parent id (0 for a root), name, start and end in milliseconds. */
export type HandSpan = [id: number, parent: number, name: string, startMs: number, endMs: number, extra?: Partial<Span>]

const MS = 1_000_000n
const ORIGIN = 1_700_000_000_000n * MS

/** A one-service trace (`svc`) of hand-built spans. */
export function handTrace(spans: HandSpan[], service = 'svc'): Trace {
  return trace(resource(service, ['test', spans.map(handSpan)]))
}

/** One hand-built span in OTLP form. */
export function handSpan([id, parent, name, start, end, extra]: HandSpan): Span {
  const span: Span = {
    traceId: TRACE_ID,
    spanId: sid(id),
    name,
    kind: 1,
    startTimeUnixNano: ORIGIN + BigInt(Math.round(start * 1e6)),
    endTimeUnixNano: ORIGIN + BigInt(Math.round(end * 1e6)),
    status: {},
    ...extra,
  }
  if (parent !== 0) span.parentSpanId = sid(parent)
  return span
}
