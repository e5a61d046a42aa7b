/**
 * The query-frontend's span-ID de-duplication (Tempo's `spanIDDeduper`, from Jaeger): Zipkin lets a
 * CLIENT span and the SERVER span it called share one span ID. Every SERVER span whose ID (first 8
 * bytes, big-endian) is also used by a CLIENT span gets a fresh ID — the smallest value above the last
 * one handed out that no original span uses, starting at 1 — and the shared ID becomes its parent;
 * then every other span whose parent was a renamed ID points to the new ID. If two SERVER spans share
 * one ID, the later rename wins the re-parenting, exactly as in Tempo. Returns a new trace; the input
 * is not modified. Spans whose span ID is shorter than 8 bytes are left alone (Tempo would panic).
 */
import type { Span, Trace } from '../otlp/model.js'

const SPAN_KIND_SERVER = 2
const SPAN_KIND_CLIENT = 3
const MAX_SPAN_ID = 0xffffffffffffffffn

function idOf(bytes: Uint8Array | undefined): bigint | undefined {
  if (!bytes || bytes.length < 8) return undefined
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, false)
}

/** A copy of `bytes` (at least 8 long) with its first 8 bytes replaced by big-endian `id`. */
function withId(bytes: Uint8Array | undefined, id: bigint): Uint8Array {
  const out = new Uint8Array(Math.max(8, bytes?.length ?? 0))
  if (bytes && bytes.length > 8) out.set(bytes)
  new DataView(out.buffer).setBigUint64(0, id, false)
  return out
}

function forEachSpan(trace: Trace, visit: (span: Span) => void): void {
  for (const rs of trace.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) for (const span of ss.spans ?? []) visit(span)
}

function mapSpans(trace: Trace, map: (span: Span) => Span): Trace {
  if (!trace.resourceSpans) return trace
  return {
    ...trace,
    resourceSpans: trace.resourceSpans.map((rs) =>
      rs.scopeSpans ? { ...rs, scopeSpans: rs.scopeSpans.map((ss) => (ss.spans ? { ...ss, spans: ss.spans.map(map) } : ss)) } : rs,
    ),
  }
}

/** Give SERVER spans that share their ID with a CLIENT span a unique ID (Tempo frontend rule). */
export function dedupeSpanIds(trace: Trace): Trace {
  const kindsById = new Map<bigint, Set<number>>()
  forEachSpan(trace, (span) => {
    const id = idOf(span.spanId)
    if (id === undefined) return
    let kinds = kindsById.get(id)
    if (!kinds) kindsById.set(id, (kinds = new Set()))
    kinds.add(span.kind ?? 0)
  })

  let maxUsedId = 0n
  const makeUniqueId = (): bigint | undefined => {
    for (let id = maxUsedId + 1n; id < MAX_SPAN_ID; id++) {
      if (!kindsById.has(id)) return (maxUsedId = id)
    }
    return undefined
  }

  const oldToNew = new Map<bigint, bigint>()
  const renamed = mapSpans(trace, (span) => {
    if (span.kind !== SPAN_KIND_SERVER) return span
    const id = idOf(span.spanId)
    if (id === undefined || !kindsById.get(id)!.has(SPAN_KIND_CLIENT)) return span
    const newId = makeUniqueId()
    if (newId === undefined) return span
    oldToNew.set(id, newId)
    return { ...span, spanId: withId(span.spanId, newId), parentSpanId: withId(span.parentSpanId, id) }
  })
  if (oldToNew.size === 0) return trace

  return mapSpans(renamed, (span) => {
    const parent = idOf(span.parentSpanId)
    if (parent === undefined) return span
    const newParent = oldToNew.get(parent)
    if (newParent === undefined || idOf(span.spanId) === newParent) return span
    return { ...span, parentSpanId: withId(span.parentSpanId, newParent) }
  })
}
