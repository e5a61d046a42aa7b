import type {
  AnyValue,
  InstrumentationScope,
  KeyValue,
  Resource,
  ResourceSpans,
  ScopeSpans,
  Span,
  SpanEvent,
  SpanLink,
  SpanStatus,
  Trace,
} from './model.js'
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from './enum-names.js'
import { base64, goJsonDouble, goJsonString } from './json-scalars.js'

/**
 * Tempo's JSON dialect (gogo `jsonpb.Marshaler{}` defaults, spec §7.5), byte-exact: keys in proto
 * declaration order, zero scalars and empty lists omitted, 64-bit integers quoted, bytes as base64,
 * enums by name, non-nil empty messages as `{}`.
 */

const RESPONSE_STATUSES = ['COMPLETE', 'PARTIAL']

/** Collects `"key":value` members of one object, skipping zero values the way jsonpb does. */
class ObjectWriter {
  private readonly parts: string[] = []

  raw(key: string, json: string): this {
    this.parts.push(`"${key}":${json}`)
    return this
  }

  str(key: string, v: string | undefined): this {
    return v ? this.raw(key, goJsonString(v)) : this
  }

  bytes(key: string, v: Uint8Array | undefined): this {
    return v && v.length > 0 ? this.raw(key, `"${base64(v)}"`) : this
  }

  u64(key: string, v: bigint | undefined): this {
    return v ? this.raw(key, `"${v.toString()}"`) : this
  }

  u32(key: string, v: number | undefined): this {
    return v ? this.raw(key, String(v)) : this
  }

  enumName(key: string, v: number | undefined, names: readonly string[]): this {
    return v ? this.raw(key, enumJson(v, names)) : this
  }

  list<T>(key: string, items: readonly T[] | undefined, write: (item: T) => string): this {
    return items && items.length > 0 ? this.raw(key, `[${items.map(write).join(',')}]`) : this
  }

  toString(): string {
    return `{${this.parts.join(',')}}`
  }
}

function enumJson(v: number, names: readonly string[]): string {
  const name = names[v]
  return name === undefined ? String(v) : `"${name}"`
}

/** One AnyValue: the set oneof member is always written, even when zero. */
export function anyValueToJson(v: AnyValue): string {
  if ('stringValue' in v) return `{"stringValue":${goJsonString(v.stringValue)}}`
  if ('boolValue' in v) return `{"boolValue":${v.boolValue ? 'true' : 'false'}}`
  if ('intValue' in v) return `{"intValue":"${v.intValue.toString()}"}`
  if ('doubleValue' in v) return `{"doubleValue":${goJsonDouble(v.doubleValue)}}`
  if ('arrayValue' in v) return `{"arrayValue":${new ObjectWriter().list('values', v.arrayValue.values, anyValueToJson).toString()}}`
  if ('kvlistValue' in v) return `{"kvlistValue":${new ObjectWriter().list('values', v.kvlistValue.values, keyValueToJson).toString()}}`
  if ('bytesValue' in v) return `{"bytesValue":"${base64(v.bytesValue)}"}`
  return '{}'
}

function keyValueToJson(kv: KeyValue): string {
  return new ObjectWriter().str('key', kv.key).raw('value', anyValueToJson(kv.value)).toString()
}

function resourceToJson(r: Resource): string {
  return new ObjectWriter().list('attributes', r.attributes, keyValueToJson).u32('droppedAttributesCount', r.droppedAttributesCount).toString()
}

function scopeToJson(s: InstrumentationScope): string {
  return new ObjectWriter()
    .str('name', s.name)
    .str('version', s.version)
    .list('attributes', s.attributes, keyValueToJson)
    .u32('droppedAttributesCount', s.droppedAttributesCount)
    .toString()
}

function eventToJson(e: SpanEvent): string {
  return new ObjectWriter()
    .u64('timeUnixNano', e.timeUnixNano)
    .str('name', e.name)
    .list('attributes', e.attributes, keyValueToJson)
    .u32('droppedAttributesCount', e.droppedAttributesCount)
    .toString()
}

function linkToJson(l: SpanLink): string {
  return new ObjectWriter()
    .bytes('traceId', l.traceId)
    .bytes('spanId', l.spanId)
    .str('traceState', l.traceState)
    .list('attributes', l.attributes, keyValueToJson)
    .u32('droppedAttributesCount', l.droppedAttributesCount)
    .u32('flags', l.flags)
    .toString()
}

function statusToJson(s: SpanStatus): string {
  return new ObjectWriter().str('message', s.message).enumName('code', s.code, STATUS_CODE_NAMES).toString()
}

function spanToJson(s: Span): string {
  return new ObjectWriter()
    .bytes('traceId', s.traceId)
    .bytes('spanId', s.spanId)
    .str('traceState', s.traceState)
    .bytes('parentSpanId', s.parentSpanId)
    .u32('flags', s.flags)
    .str('name', s.name)
    .enumName('kind', s.kind, SPAN_KIND_NAMES)
    .u64('startTimeUnixNano', s.startTimeUnixNano)
    .u64('endTimeUnixNano', s.endTimeUnixNano)
    .list('attributes', s.attributes, keyValueToJson)
    .u32('droppedAttributesCount', s.droppedAttributesCount)
    .list('events', s.events, eventToJson)
    .u32('droppedEventsCount', s.droppedEventsCount)
    .list('links', s.links, linkToJson)
    .u32('droppedLinksCount', s.droppedLinksCount)
    .raw('status', statusToJson(s.status))
    .toString()
}

function scopeSpansToJson(ss: ScopeSpans): string {
  return new ObjectWriter().raw('scope', scopeToJson(ss.scope)).list('spans', ss.spans, spanToJson).str('schemaUrl', ss.schemaUrl).toString()
}

function resourceSpansToJson(rs: ResourceSpans): string {
  return new ObjectWriter()
    .raw('resource', resourceToJson(rs.resource))
    .list('scopeSpans', rs.scopeSpans, scopeSpansToJson)
    .str('schemaUrl', rs.schemaUrl)
    .toString()
}

/** The trace as Tempo's JSON `Trace` object: `{"resourceSpans":[...]}`, or `{}` when empty. */
export function traceToJson(trace: Trace): string {
  return new ObjectWriter().list('resourceSpans', trace.resourceSpans, resourceSpansToJson).toString()
}

/** Options of a `/api/v2/traces/{id}` body. */
export interface TraceByIdV2Options {
  /** True when the combined trace hit the size limit (`"status":"PARTIAL"`). */
  partial?: boolean
  /** Message explaining a partial result (Tempo: "Trace exceeds maximum size of N bytes, ..."). */
  message?: string
  /** `metrics.inspectedBytes`; omitted when zero, as jsonpb does. */
  inspectedBytes?: bigint | number
}

/** The `/api/v2/traces/{id}` body: `{"trace":{...},"metrics":{...}[,"status":"PARTIAL"][,"message":...]}`; not found => `{"trace":{},"metrics":{}}`. */
export function traceByIdV2Json(trace: Trace | undefined, opts: TraceByIdV2Options = {}): string {
  return traceByIdV2JsonAround(traceToJson(trace ?? {}), opts)
}

/** `traceByIdV2Json` around a trace already in Tempo's JSON dialect (`traceToJson`'s output, kept verbatim). */
export function traceByIdV2JsonAround(traceJson: string, opts: TraceByIdV2Options = {}): string {
  const inspected = opts.inspectedBytes === undefined ? 0n : BigInt(opts.inspectedBytes)
  return new ObjectWriter()
    .raw('trace', traceJson)
    .raw('metrics', new ObjectWriter().u64('inspectedBytes', inspected).toString())
    .enumName('status', opts.partial ? 1 : 0, RESPONSE_STATUSES)
    .str('message', opts.message)
    .toString()
}

/** The `/api/traces/{id}` (v1) body: the trace with its first `resourceSpans` key renamed to `batches`. */
export function traceV1Json(trace: Trace): string {
  return new ObjectWriter().list('batches', trace.resourceSpans, resourceSpansToJson).toString()
}

const RESOURCE_SPANS_HEAD = '{"resourceSpans":'

/** `traceV1Json` from the trace's `traceToJson` output: the same bytes without encoding the trace again. */
export function traceJsonToV1(traceJson: string): string {
  return traceJson.startsWith(RESOURCE_SPANS_HEAD) ? `{"batches":${traceJson.slice(RESOURCE_SPANS_HEAD.length)}` : traceJson
}
