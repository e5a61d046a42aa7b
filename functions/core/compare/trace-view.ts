import type { AnyValue, KeyValue, Trace } from '../otlp/model.js'

/**
 * One trace flattened for analysis: every span with its service and operation, times in milliseconds
 * relative to the trace's earliest start (plain numbers are exact to well under a microsecond there),
 * and the parent/child tree resolved by span ID.
 */

/** One span of a `TraceView`. */
export interface ViewSpan {
  index: number
  service: string
  name: string
  /** `service: name`, the unit every per-operation feature is keyed by. */
  operation: string
  kind: number
  /** Milliseconds since the trace's earliest span start. */
  start: number
  end: number
  isError: boolean
  statusMessage: string
  /** Index of the parent span in `spans`, or -1 for a root (no parent, or a parent not in the trace). */
  parent: number
  children: number[]
  attributes: KeyValue[]
  resourceAttributes: KeyValue[]
  /** `exception.type` of each event named `exception`. */
  exceptionTypes: string[]
}

/** A flattened trace. */
export interface TraceView {
  spans: ViewSpan[]
  /** Indexes of the root spans, earliest first. */
  roots: number[]
  /** Milliseconds from the earliest start to the latest end. */
  durationMs: number
}

const NANOS_PER_MS = 1_000_000n

/** Flatten `trace`; spans sharing an ID keep the first (the combiner has already de-duplicated). */
export function viewTrace(trace: Trace): TraceView {
  let earliest: bigint | undefined
  for (const rs of trace.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) for (const span of ss.spans ?? []) if (earliest === undefined || span.startTimeUnixNano < earliest) earliest = span.startTimeUnixNano
  }
  const origin = earliest ?? 0n
  const toMs = (nanos: bigint): number => Number(nanos - origin) / Number(NANOS_PER_MS)
  const spans: ViewSpan[] = []
  const parentIds: (string | undefined)[] = []
  const byId = new Map<string, number>()
  for (const rs of trace.resourceSpans ?? []) {
    const resourceAttributes = rs.resource.attributes ?? []
    const service = stringAttribute(resourceAttributes, 'service.name') ?? 'unknown_service'
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        const id = hex(span.spanId)
        if (byId.has(id)) continue
        const index = spans.length
        byId.set(id, index)
        const name = span.name ?? ''
        const start = toMs(span.startTimeUnixNano)
        spans.push({
          index,
          service,
          name,
          operation: `${service}: ${name}`,
          kind: span.kind ?? 0,
          start,
          // A span that ends before it starts is a broken clock: treat it as instantaneous.
          end: Math.max(start, toMs(span.endTimeUnixNano)),
          isError: span.status.code === 2,
          statusMessage: span.status.message ?? '',
          parent: -1,
          children: [],
          attributes: span.attributes ?? [],
          resourceAttributes,
          exceptionTypes: (span.events ?? []).filter((e) => e.name === 'exception').map((e) => stringAttribute(e.attributes ?? [], 'exception.type') ?? 'unknown'),
        })
        parentIds.push(span.parentSpanId && span.parentSpanId.length > 0 ? hex(span.parentSpanId) : undefined)
      }
    }
  }
  for (const span of spans) {
    const parentId = parentIds[span.index]
    const parent = parentId === undefined ? undefined : byId.get(parentId)
    if (parent !== undefined && parent !== span.index) span.parent = parent
  }
  breakCycles(spans)
  for (const span of spans) if (span.parent >= 0) spans[span.parent]!.children.push(span.index)
  const roots = spans.filter((s) => s.parent < 0).sort((a, b) => a.start - b.start || b.end - a.end).map((s) => s.index)
  const durationMs = spans.reduce((max, s) => Math.max(max, s.end), 0)
  return { spans, roots, durationMs }
}

/** A parent chain that loops (corrupt data) would make the tree walks spin: cut it where it closes. */
function breakCycles(spans: ViewSpan[]): void {
  const state = new Uint8Array(spans.length) // 0 unvisited, 1 on the current chain, 2 done
  for (const first of spans) {
    const chain: number[] = []
    let at = first.index
    while (at >= 0 && state[at] === 0) {
      state[at] = 1
      chain.push(at)
      at = spans[at]!.parent
    }
    if (at >= 0 && state[at] === 1) spans[chain[chain.length - 1]!]!.parent = -1
    for (const index of chain) state[index] = 2
  }
}

/** The string form of an attribute value used as a feature value (scalars as written, others as JSON). */
export function attributeText(value: AnyValue): string {
  if ('stringValue' in value) return value.stringValue
  if ('intValue' in value) return value.intValue.toString()
  if ('boolValue' in value) return String(value.boolValue)
  if ('doubleValue' in value) return String(value.doubleValue)
  if ('bytesValue' in value) return Buffer.from(value.bytesValue).toString('base64')
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
}

function stringAttribute(attributes: KeyValue[], key: string): string | undefined {
  const found = attributes.find((a) => a.key === key)
  return found ? attributeText(found.value) : undefined
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}
