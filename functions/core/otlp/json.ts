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

/**
 * What differs between Tempo's JSON dialect and OTLP/JSON (the OTLP specification's encoding): trace
 * and span IDs (base64 / lowercase hex) and enums (names / integers). Everything else is proto3 JSON
 * in both: lowerCamelCase keys, 64-bit integers quoted, other bytes base64, zero values omitted.
 */
export interface JsonDialect {
  id(bytes: Uint8Array): string
  enumValue(value: number, names: readonly string[]): string
}

/** Tempo's dialect (gogo jsonpb): base64 IDs, enum names. */
export const TEMPO_JSON: JsonDialect = { id: (bytes) => `"${base64(bytes)}"`, enumValue: enumJson }

/** OTLP/JSON: hex trace and span IDs, integer enums. */
export const OTLP_JSON: JsonDialect = { id: (bytes) => `"${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}"`, enumValue: (value) => String(value) }

/** Collects `"key":value` members of one object, skipping zero values the way jsonpb does. */
class ObjectWriter {
  private readonly parts: string[] = []

  constructor(private readonly dialect: JsonDialect) {}

  raw(key: string, json: string): this {
    this.parts.push(`"${key}":${json}`)
    return this
  }

  str(key: string, v: string | undefined): this {
    return v ? this.raw(key, goJsonString(v)) : this
  }

  id(key: string, v: Uint8Array | undefined): this {
    return v && v.length > 0 ? this.raw(key, this.dialect.id(v)) : this
  }

  u64(key: string, v: bigint | undefined): this {
    return v ? this.raw(key, `"${v.toString()}"`) : this
  }

  u32(key: string, v: number | undefined): this {
    return v ? this.raw(key, String(v)) : this
  }

  enumName(key: string, v: number | undefined, names: readonly string[]): this {
    return v ? this.raw(key, this.dialect.enumValue(v, names)) : this
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
export function anyValueToJson(v: AnyValue, d: JsonDialect = TEMPO_JSON): string {
  if ('stringValue' in v) return `{"stringValue":${goJsonString(v.stringValue)}}`
  if ('boolValue' in v) return `{"boolValue":${v.boolValue ? 'true' : 'false'}}`
  if ('intValue' in v) return `{"intValue":"${v.intValue.toString()}"}`
  if ('doubleValue' in v) return `{"doubleValue":${goJsonDouble(v.doubleValue)}}`
  if ('arrayValue' in v) return `{"arrayValue":${new ObjectWriter(d).list('values', v.arrayValue.values, (x) => anyValueToJson(x, d)).toString()}}`
  if ('kvlistValue' in v) return `{"kvlistValue":${new ObjectWriter(d).list('values', v.kvlistValue.values, (x) => keyValueToJson(x, d)).toString()}}`
  if ('bytesValue' in v) return `{"bytesValue":"${base64(v.bytesValue)}"}`
  return '{}'
}

function keyValueToJson(kv: KeyValue, d: JsonDialect): string {
  return new ObjectWriter(d).str('key', kv.key).raw('value', anyValueToJson(kv.value, d)).toString()
}

function attributesOf(w: ObjectWriter, attributes: KeyValue[] | undefined, d: JsonDialect): ObjectWriter {
  return w.list('attributes', attributes, (kv) => keyValueToJson(kv, d))
}

function resourceToJson(r: Resource, d: JsonDialect): string {
  return attributesOf(new ObjectWriter(d), r.attributes, d).u32('droppedAttributesCount', r.droppedAttributesCount).toString()
}

function scopeToJson(s: InstrumentationScope, d: JsonDialect): string {
  const w = new ObjectWriter(d).str('name', s.name).str('version', s.version)
  return attributesOf(w, s.attributes, d).u32('droppedAttributesCount', s.droppedAttributesCount).toString()
}

function eventToJson(e: SpanEvent, d: JsonDialect): string {
  const w = new ObjectWriter(d).u64('timeUnixNano', e.timeUnixNano).str('name', e.name)
  return attributesOf(w, e.attributes, d).u32('droppedAttributesCount', e.droppedAttributesCount).toString()
}

function linkToJson(l: SpanLink, d: JsonDialect): string {
  const w = new ObjectWriter(d).id('traceId', l.traceId).id('spanId', l.spanId).str('traceState', l.traceState)
  return attributesOf(w, l.attributes, d).u32('droppedAttributesCount', l.droppedAttributesCount).u32('flags', l.flags).toString()
}

function statusToJson(s: SpanStatus, d: JsonDialect): string {
  return new ObjectWriter(d).str('message', s.message).enumName('code', s.code, STATUS_CODE_NAMES).toString()
}

function spanToJson(s: Span, d: JsonDialect): string {
  const w = new ObjectWriter(d)
    .id('traceId', s.traceId)
    .id('spanId', s.spanId)
    .str('traceState', s.traceState)
    .id('parentSpanId', s.parentSpanId)
    .u32('flags', s.flags)
    .str('name', s.name)
    .enumName('kind', s.kind, SPAN_KIND_NAMES)
    .u64('startTimeUnixNano', s.startTimeUnixNano)
    .u64('endTimeUnixNano', s.endTimeUnixNano)
  return attributesOf(w, s.attributes, d)
    .u32('droppedAttributesCount', s.droppedAttributesCount)
    .list('events', s.events, (e) => eventToJson(e, d))
    .u32('droppedEventsCount', s.droppedEventsCount)
    .list('links', s.links, (l) => linkToJson(l, d))
    .u32('droppedLinksCount', s.droppedLinksCount)
    .raw('status', statusToJson(s.status, d))
    .toString()
}

function scopeSpansToJson(ss: ScopeSpans, d: JsonDialect): string {
  return new ObjectWriter(d)
    .raw('scope', scopeToJson(ss.scope, d))
    .list('spans', ss.spans, (s) => spanToJson(s, d))
    .str('schemaUrl', ss.schemaUrl)
    .toString()
}

function resourceSpansToJson(rs: ResourceSpans, d: JsonDialect): string {
  return new ObjectWriter(d)
    .raw('resource', resourceToJson(rs.resource, d))
    .list('scopeSpans', rs.scopeSpans, (ss) => scopeSpansToJson(ss, d))
    .str('schemaUrl', rs.schemaUrl)
    .toString()
}

/**
 * The trace as a JSON `Trace` object, `{"resourceSpans":[...]}` or `{}` when empty: Tempo's dialect
 * by default; with `OTLP_JSON` it is an OTLP/JSON `ExportTraceServiceRequest` (same single field).
 */
export function traceToJson(trace: Trace, d: JsonDialect = TEMPO_JSON): string {
  return new ObjectWriter(d).list('resourceSpans', trace.resourceSpans, (rs) => resourceSpansToJson(rs, d)).toString()
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
  return new ObjectWriter(TEMPO_JSON)
    .raw('trace', traceJson)
    .raw('metrics', new ObjectWriter(TEMPO_JSON).u64('inspectedBytes', inspected).toString())
    .enumName('status', opts.partial ? 1 : 0, RESPONSE_STATUSES)
    .str('message', opts.message)
    .toString()
}

/** The `/api/traces/{id}` (v1) body: the trace with its first `resourceSpans` key renamed to `batches`. */
export function traceV1Json(trace: Trace): string {
  return new ObjectWriter(TEMPO_JSON).list('batches', trace.resourceSpans, (rs) => resourceSpansToJson(rs, TEMPO_JSON)).toString()
}

const RESOURCE_SPANS_HEAD = '{"resourceSpans":'

/** `traceV1Json` from the trace's `traceToJson` output: the same bytes without encoding the trace again. */
export function traceJsonToV1(traceJson: string): string {
  return traceJson.startsWith(RESOURCE_SPANS_HEAD) ? `{"batches":${traceJson.slice(RESOURCE_SPANS_HEAD.length)}` : traceJson
}
