import type { InstrumentationScope, Span, SpanLink } from '../../core/otlp/model.js'
import { attrRows } from './attributes.js'
import { traceIdText, type NestedSet, type TraceFacts } from './trace-facts.js'

/**
 * The parts of a trace row that vParquet4 and vParquet5 write the same way (spec §6.3-6.5); the
 * per-format row builders add their attribute, dedicated-column and statistics columns around them.
 */

const EMPTY = new Uint8Array(0)

/** Trace-level identity, time range and root columns. */
export function traceColumns(traceId: Uint8Array, facts: TraceFacts) {
  return {
    TraceID: traceId,
    TraceIDText: traceIdText(traceId),
    StartTimeUnixNano: facts.start,
    EndTimeUnixNano: facts.end,
    DurationNano: BigInt.asUintN(64, facts.end - facts.start),
    RootServiceName: facts.rootServiceName,
    RootSpanName: facts.rootSpanName,
  }
}

/** The `Scope` group of one ScopeSpans entry. */
export function scopeRow(scope: InstrumentationScope) {
  return {
    Name: scope.name ?? '',
    Version: scope.version ?? '',
    Attrs: attrRows(scope.attributes),
    DroppedAttributesCount: scope.droppedAttributesCount ?? 0,
  }
}

/** Span identity, tree position, timing and status columns. */
export function spanColumns(span: Span, nested: NestedSet) {
  const start = span.startTimeUnixNano
  return {
    SpanID: span.spanId,
    ParentSpanID: span.parentSpanId ?? EMPTY,
    ParentID: nested.parent,
    NestedSetLeft: nested.left,
    NestedSetRight: nested.right,
    Name: span.name ?? '',
    Kind: BigInt(span.kind ?? 0),
    TraceState: span.traceState ?? '',
    StartTimeUnixNano: start,
    DurationNano: BigInt.asUintN(64, span.endTimeUnixNano - start),
    StatusCode: BigInt(span.status.code ?? 0),
    StatusMessage: span.status.message ?? '',
  }
}

/** The `Links` list of a span (links carry generic attributes only, in both formats). */
export function linkRows(links: SpanLink[] | undefined) {
  return (links ?? []).map((l) => ({
    TraceID: l.traceId,
    SpanID: l.spanId,
    TraceState: l.traceState ?? '',
    Attrs: attrRows(l.attributes),
    DroppedAttributesCount: l.droppedAttributesCount ?? 0,
  }))
}
