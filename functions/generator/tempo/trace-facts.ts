import type { Span, Trace } from '../../core/otlp/model.js'
import { compareUtf8 } from '../parquet/compare.js'

/**
 * Trace-level values Tempo derives at write time (spec §6.3 "for reference"): time range, root span,
 * per-service span/error counts, and the nested-set numbering of the span tree.
 */

/** Nested-set numbers of one span. */
export interface NestedSet {
  left: number
  right: number
  parent: number
  children: number
}

/** Everything derived from the whole trace. */
export interface TraceFacts {
  start: bigint
  end: bigint
  rootServiceName: string
  rootSpanName: string
  /** Per `Resource.ServiceName`, sorted by name. */
  serviceStats: { name: string; spans: number; errors: number }[]
  nested: Map<Span, NestedSet>
}

/** Derive the trace-level facts; `serviceNameOf` gives each resource's stored ServiceName. */
export function traceFacts(trace: Trace, traceId: Uint8Array, serviceNames: string[]): TraceFacts {
  let start = 0n
  let end = 0n
  let rootServiceName = ''
  let rootSpanName = ''
  const stats = new Map<string, { spans: number; errors: number }>()
  const all: Span[] = []
  ;(trace.resourceSpans ?? []).forEach((rs, i) => {
    const service = serviceNames[i] ?? ''
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        all.push(span)
        if (span.startTimeUnixNano !== 0n && (start === 0n || span.startTimeUnixNano < start)) start = span.startTimeUnixNano
        if (span.endTimeUnixNano > end) end = span.endTimeUnixNano
        const s = stats.get(service) ?? { spans: 0, errors: 0 }
        s.spans++
        if (span.status.code === 2) s.errors++
        stats.set(service, s)
        if (isRoot(span, traceId)) {
          rootServiceName = service
          rootSpanName = span.name ?? ''
        }
      }
    }
  })
  const serviceStats = [...stats.entries()].map(([name, s]) => ({ name, ...s })).sort((a, b) => compareUtf8(a.name, b.name))
  return { start, end, rootServiceName, rootSpanName, serviceStats, nested: nestedSets(all) }
}

function isRoot(span: Span, traceId: Uint8Array): boolean {
  if (span.parentSpanId && span.parentSpanId.length > 0) return false
  for (const link of span.links ?? []) {
    if (!sameBytes(link.traceId, traceId)) continue
    if ((link.attributes ?? []).some((a) => a.key === 'opentracing.ref_type' && 'stringValue' in a.value && a.value.stringValue === 'child_of')) return false
  }
  return true
}

/** DFS numbering from 1 in stored order; all zeros when a parent is missing (the tree cannot be built). */
function nestedSets(spans: Span[]): Map<Span, NestedSet> {
  const out = new Map<Span, NestedSet>()
  const byId = new SpanIndex(spans)
  const children = new Map<Span, Span[]>()
  const roots: Span[] = []
  let complete = true
  for (const s of spans) {
    if (!s.parentSpanId || s.parentSpanId.length === 0) {
      roots.push(s)
      continue
    }
    const parent = byId.get(s.parentSpanId)
    if (!parent || parent === s) {
      complete = false
      break
    }
    const list = children.get(parent)
    if (list) list.push(s)
    else children.set(parent, [s])
  }
  if (complete) {
    let counter = 1
    const visit = (s: Span, parentLeft: number): void => {
      const entry: NestedSet = { left: counter++, right: 0, parent: parentLeft, children: children.get(s)?.length ?? 0 }
      out.set(s, entry)
      for (const c of children.get(s) ?? []) if (!out.has(c)) visit(c, entry.left)
      entry.right = counter++
    }
    for (const r of roots) visit(r, -1)
  }
  // Cycles or unreachable spans leave some unnumbered: then, like Tempo, number nothing.
  if (!complete || out.size !== spans.length) {
    out.clear()
    for (const s of spans) out.set(s, { left: 0, right: 0, parent: 0, children: 0 })
  }
  return out
}

/** Spans by ID: hashed on the last four bytes, confirmed byte by byte. */
class SpanIndex {
  private readonly buckets = new Map<number, Span[]>()

  constructor(spans: Span[]) {
    for (const s of spans) {
      const key = tail32(s.spanId)
      const bucket = this.buckets.get(key)
      if (bucket) bucket.push(s)
      else this.buckets.set(key, [s])
    }
  }

  get(id: Uint8Array): Span | undefined {
    for (const s of this.buckets.get(tail32(id)) ?? []) if (sameBytes(s.spanId, id)) return s
    return undefined
  }
}

function tail32(id: Uint8Array): number {
  const n = id.length
  return ((id[n - 4] ?? 0) << 24) | ((id[n - 3] ?? 0) << 16) | ((id[n - 2] ?? 0) << 8) | (id[n - 1] ?? 0)
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Lowercase hex with leading zeros trimmed (Tempo's `TraceIDText`). */
export function traceIdText(traceId: Uint8Array): string {
  return hex(traceId).replace(/^0+/, '')
}
