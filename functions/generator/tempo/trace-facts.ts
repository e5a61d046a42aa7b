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

/**
 * Tempo's nested-set model: roots are spans without a parent ID, spans are keyed by their first 8 ID
 * bytes (two spans may share one, Zipkin-style: then the parent is picked by kind), each span's children
 * in stored order, DFS numbering from 1 per root in stored order; `parent` = the parent's left bound
 * (-1 for roots). Spans not reachable from a root keep 0s; no root, or more than two spans sharing an
 * ID, leaves everything 0. `children` is counted for every span whose parent was found.
 */
function nestedSets(spans: Span[]): Map<Span, NestedSet> {
  const out = new Map<Span, NestedSet>()
  for (const s of spans) out.set(s, { left: 0, right: 0, parent: 0, children: 0 })
  const byId = new Map<string, Span[]>()
  const roots: Span[] = []
  let shared = false
  for (const s of spans) {
    if (isParentless(s)) roots.push(s)
    const key = idKey(s.spanId)
    const list = byId.get(key)
    if (!list) byId.set(key, [s])
    else if (list.push(s) > 2) shared = true
  }
  if (roots.length === 0 || shared) return out
  const children = new Map<Span, Span[]>()
  for (const s of spans) {
    const parent = findParent(byId, s)
    if (!parent) continue
    const list = children.get(parent)
    if (list) list.push(s)
    else children.set(parent, [s])
  }
  for (const [parent, list] of children) out.get(parent)!.children = list.length
  let bound = 1
  for (const root of roots) {
    const stack: { span: Span; next: number }[] = [{ span: root, next: 0 }]
    Object.assign(out.get(root)!, { left: bound++, parent: -1 })
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!
      const kids = children.get(top.span) ?? []
      if (top.next < kids.length) {
        const child = kids[top.next++]!
        Object.assign(out.get(child)!, { left: bound++, parent: out.get(top.span)!.left })
        stack.push({ span: child, next: 0 })
      } else {
        out.get(top.span)!.right = bound++
        stack.pop()
      }
    }
  }
  return out
}

function isParentless(span: Span): boolean {
  return !span.parentSpanId || span.parentSpanId.length === 0
}

function findParent(byId: Map<string, Span[]>, span: Span): Span | undefined {
  if (isParentless(span)) return undefined
  const candidates = byId.get(idKey(span.parentSpanId!)) ?? []
  if (candidates.length === 1) return candidates[0]
  if (candidates.length !== 2) return undefined
  // A Zipkin client/server pair shares one ID: a server span's parent is the client, anything else's the server.
  const want = span.kind === 2 ? 3 : 2
  return candidates.find((c) => (c.kind ?? 0) === want)
}

/** Tempo keys span IDs by their first 8 bytes, zero-padded. */
function idKey(id: Uint8Array): string {
  let key = ''
  for (let i = 0; i < 8; i += 2) key += String.fromCharCode(((id[i] ?? 0) << 8) | (id[i + 1] ?? 0))
  return key
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
