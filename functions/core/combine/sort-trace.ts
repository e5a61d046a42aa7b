/**
 * Tempo's `SortTrace` (pkg/model/trace/sort.go), applied to a combined trace when at least two partial
 * traces contributed: events by (time, name), links by (trace ID, span ID), spans by (start, span ID
 * bytes), scopes by their first span, resources by their first scope's first span. Attributes are not
 * sorted. Returns a new trace; the input is not modified.
 *
 * Ties: Go's `sort.Slice` is pdqsort, which for slices of up to 12 elements is a plain insertion sort
 * (stable, and well defined even for Tempo's non-transitive scope/resource comparison, where an empty
 * scope or resource compares "not less" with everything). We run that exact insertion sort up to 12
 * elements, so ties come out as Go orders them there. Longer slices use a stable sort: equal keys
 * keep their input order, which may differ from Go's pdqsort only for elements that compare equal
 * (e.g. two spans with the same start and span ID, or empty scopes), where Go's order is itself an
 * implementation detail.
 */
import type { ResourceSpans, ScopeSpans, Span, SpanEvent, SpanLink, Trace } from '../otlp/model.js'
import { compareBytes } from '../contract/trace-id.js'

/** Go's insertion-sort threshold inside pdqsort. */
const GO_INSERTION_SORT_MAX = 12

/** Sort like Go's `sort.Slice` with a strict "less" function (see the module note on ties). */
export function goSortSlice<T>(items: readonly T[], less: (a: T, b: T) => boolean): T[] {
  const out = items.slice()
  if (out.length <= GO_INSERTION_SORT_MAX) {
    for (let i = 1; i < out.length; i++) {
      for (let j = i; j > 0 && less(out[j]!, out[j - 1]!); j--) {
        const swap = out[j]!
        out[j] = out[j - 1]!
        out[j - 1] = swap
      }
    }
    return out
  }
  return out.sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0))
}

/** Go string order (UTF-8 bytes = code points), not JS's UTF-16 code-unit order. */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) return codePointRank(x) < codePointRank(y) ? -1 : 1
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
}

// UTF-16 units sort surrogates (U+10000 and up) before U+E000..U+FFFF; code point order puts them after.
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000
  if (unit >= 0xe000) return unit - 0x800
  return unit
}

/** Tempo's compareSpans: start time, then span ID bytes. */
export function spanLess(a: Span, b: Span): boolean {
  if (a.startTimeUnixNano === b.startTimeUnixNano) return compareBytes(a.spanId, b.spanId) < 0
  return a.startTimeUnixNano < b.startTimeUnixNano
}

function eventLess(a: SpanEvent, b: SpanEvent): boolean {
  if (a.timeUnixNano === b.timeUnixNano) return compareGoStrings(a.name ?? '', b.name ?? '') < 0
  return a.timeUnixNano < b.timeUnixNano
}

function linkLess(a: SpanLink, b: SpanLink): boolean {
  const byTrace = compareBytes(a.traceId, b.traceId)
  if (byTrace === 0) return compareBytes(a.spanId, b.spanId) < 0
  return byTrace < 0
}

function scopeSpansLess(a: ScopeSpans, b: ScopeSpans): boolean {
  const x = a.spans?.[0]
  const y = b.spans?.[0]
  return x !== undefined && y !== undefined && spanLess(x, y)
}

function resourceSpansLess(a: ResourceSpans, b: ResourceSpans): boolean {
  const x = a.scopeSpans?.[0]
  const y = b.scopeSpans?.[0]
  return x !== undefined && y !== undefined && scopeSpansLess(x, y)
}

function sortSpanChildren(span: Span): Span {
  const manyEvents = (span.events?.length ?? 0) > 1
  const manyLinks = (span.links?.length ?? 0) > 1
  if (!manyEvents && !manyLinks) return span
  const sorted: Span = { ...span }
  if (manyEvents) sorted.events = goSortSlice(span.events!, eventLess)
  if (manyLinks) sorted.links = goSortSlice(span.links!, linkLess)
  return sorted
}

/** Deeply sort a trace the way Tempo's `SortTrace` does (bottom-up); returns a new trace. */
export function sortTrace(trace: Trace): Trace {
  if (!trace.resourceSpans) return { ...trace }
  const resourceSpans = trace.resourceSpans.map((rs): ResourceSpans => {
    if (!rs.scopeSpans) return rs
    const scopeSpans = rs.scopeSpans.map((ss): ScopeSpans => {
      if (!ss.spans) return ss
      return { ...ss, spans: goSortSlice(ss.spans.map(sortSpanChildren), spanLess) }
    })
    return { ...rs, scopeSpans: goSortSlice(scopeSpans, scopeSpansLess) }
  })
  return { ...trace, resourceSpans: goSortSlice(resourceSpans, resourceSpansLess) }
}
