import type { InstrumentationScope, Resource, ResourceSpans, ScopeSpans, Span, SpanEvent, SpanLink, SpanStatus, Trace } from './model.js'
import {
  asArray,
  asObject,
  jsonBytes,
  jsonEnum,
  jsonInt64,
  jsonString,
  jsonUint32,
  keyValuesFromJson,
  TraceJsonError,
} from './json-values.js'
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from './enum-names.js'

/**
 * Tempo JSON dialect -> in-memory trace, the inverse of `traceToJson`: used to read partial results
 * back for merging. Lossless for everything `traceToJson` writes (64-bit values as bigint, bytes from
 * base64, -0/NaN/±Infinity doubles); accepts proto field names as well as camelCase.
 */

const RESOURCE_FIELDS = new Set(['attributes', 'droppedAttributesCount', 'entityRefs'])
const SCOPE_FIELDS = new Set(['name', 'version', 'attributes', 'droppedAttributesCount'])
const EVENT_FIELDS = new Set(['timeUnixNano', 'name', 'attributes', 'droppedAttributesCount'])
const LINK_FIELDS = new Set(['traceId', 'spanId', 'traceState', 'attributes', 'droppedAttributesCount', 'flags'])
const STATUS_FIELDS = new Set(['message', 'code'])
const SPAN_FIELDS = new Set([
  'traceId', 'spanId', 'traceState', 'parentSpanId', 'flags', 'name', 'kind', 'startTimeUnixNano', 'endTimeUnixNano',
  'attributes', 'droppedAttributesCount', 'events', 'droppedEventsCount', 'links', 'droppedLinksCount', 'status',
])
const SCOPE_SPANS_FIELDS = new Set(['scope', 'spans', 'schemaUrl'])
const RESOURCE_SPANS_FIELDS = new Set(['resource', 'scopeSpans', 'schemaUrl'])
const TRACE_FIELDS = new Set(['resourceSpans', 'batches'])

/** The object's members with snake_case names folded to camelCase; unknown members are an error. */
function fields(v: unknown, allowed: ReadonlySet<string>, where: string): Record<string, unknown> {
  const o = asObject(v, where)
  let out: Record<string, unknown> | undefined
  for (const k in o) {
    if (allowed.has(k)) continue
    const name = k.replace(/_([a-z])/g, (_m: string, c: string) => c.toUpperCase())
    if (!allowed.has(name)) throw new TraceJsonError(where, `unknown field ${JSON.stringify(k)}`)
    // Copy only when a proto field name needs folding; camelCase input (the normal case) is used as is.
    out ??= { ...o }
    out[name] = o[k]
    delete out[k]
  }
  return out ?? o
}

function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K]): void {
  if (value !== undefined && value !== '' && value !== 0 && value !== 0n && !(Array.isArray(value) && value.length === 0)) target[key] = value
}

function resourceFromJson(v: unknown, where: string): Resource {
  const o = fields(v ?? {}, RESOURCE_FIELDS, where)
  const r: Resource = {}
  setIf(r, 'attributes', keyValuesFromJson(o.attributes, `${where}.attributes`))
  setIf(r, 'droppedAttributesCount', jsonUint32(o.droppedAttributesCount, `${where}.droppedAttributesCount`))
  return r
}

function scopeFromJson(v: unknown, where: string): InstrumentationScope {
  const o = fields(v ?? {}, SCOPE_FIELDS, where)
  const s: InstrumentationScope = {}
  setIf(s, 'name', jsonString(o.name, `${where}.name`))
  setIf(s, 'version', jsonString(o.version, `${where}.version`))
  setIf(s, 'attributes', keyValuesFromJson(o.attributes, `${where}.attributes`))
  setIf(s, 'droppedAttributesCount', jsonUint32(o.droppedAttributesCount, `${where}.droppedAttributesCount`))
  return s
}

function eventFromJson(v: unknown, where: string): SpanEvent {
  const o = fields(v, EVENT_FIELDS, where)
  const e: SpanEvent = { timeUnixNano: jsonInt64(o.timeUnixNano, `${where}.timeUnixNano`, true) }
  setIf(e, 'name', jsonString(o.name, `${where}.name`))
  setIf(e, 'attributes', keyValuesFromJson(o.attributes, `${where}.attributes`))
  setIf(e, 'droppedAttributesCount', jsonUint32(o.droppedAttributesCount, `${where}.droppedAttributesCount`))
  return e
}

function linkFromJson(v: unknown, where: string): SpanLink {
  const o = fields(v, LINK_FIELDS, where)
  const l: SpanLink = { traceId: jsonBytes(o.traceId, `${where}.traceId`), spanId: jsonBytes(o.spanId, `${where}.spanId`) }
  setIf(l, 'traceState', jsonString(o.traceState, `${where}.traceState`))
  setIf(l, 'attributes', keyValuesFromJson(o.attributes, `${where}.attributes`))
  setIf(l, 'droppedAttributesCount', jsonUint32(o.droppedAttributesCount, `${where}.droppedAttributesCount`))
  setIf(l, 'flags', jsonUint32(o.flags, `${where}.flags`))
  return l
}

function statusFromJson(v: unknown, where: string): SpanStatus {
  const o = fields(v ?? {}, STATUS_FIELDS, where)
  const s: SpanStatus = {}
  setIf(s, 'message', jsonString(o.message, `${where}.message`))
  setIf(s, 'code', jsonEnum(o.code, STATUS_CODE_NAMES, `${where}.code`))
  return s
}


function spanFromJson(v: unknown, where: string): Span {
  const o = fields(v, SPAN_FIELDS, where)
  const s: Span = {
    traceId: jsonBytes(o.traceId, `${where}.traceId`),
    spanId: jsonBytes(o.spanId, `${where}.spanId`),
    startTimeUnixNano: jsonInt64(o.startTimeUnixNano, `${where}.startTimeUnixNano`, true),
    endTimeUnixNano: jsonInt64(o.endTimeUnixNano, `${where}.endTimeUnixNano`, true),
    status: statusFromJson(o.status, `${where}.status`),
  }
  setIf(s, 'traceState', jsonString(o.traceState, `${where}.traceState`))
  const parent = jsonBytes(o.parentSpanId, `${where}.parentSpanId`)
  if (parent.length > 0) s.parentSpanId = parent
  setIf(s, 'flags', jsonUint32(o.flags, `${where}.flags`))
  setIf(s, 'name', jsonString(o.name, `${where}.name`))
  setIf(s, 'kind', jsonEnum(o.kind, SPAN_KIND_NAMES, `${where}.kind`))
  setIf(s, 'attributes', keyValuesFromJson(o.attributes, `${where}.attributes`))
  setIf(s, 'droppedAttributesCount', jsonUint32(o.droppedAttributesCount, `${where}.droppedAttributesCount`))
  setIf(s, 'events', asArray(o.events, `${where}.events`).map((e, i) => eventFromJson(e, `${where}.events[${i}]`)))
  setIf(s, 'droppedEventsCount', jsonUint32(o.droppedEventsCount, `${where}.droppedEventsCount`))
  setIf(s, 'links', asArray(o.links, `${where}.links`).map((l, i) => linkFromJson(l, `${where}.links[${i}]`)))
  setIf(s, 'droppedLinksCount', jsonUint32(o.droppedLinksCount, `${where}.droppedLinksCount`))
  return s
}

function scopeSpansFromJson(v: unknown, where: string): ScopeSpans {
  const o = fields(v, SCOPE_SPANS_FIELDS, where)
  const ss: ScopeSpans = { scope: scopeFromJson(o.scope, `${where}.scope`) }
  setIf(ss, 'spans', asArray(o.spans, `${where}.spans`).map((s, i) => spanFromJson(s, `${where}.spans[${i}]`)))
  setIf(ss, 'schemaUrl', jsonString(o.schemaUrl, `${where}.schemaUrl`))
  return ss
}

function resourceSpansFromJson(v: unknown, where: string): ResourceSpans {
  const o = fields(v, RESOURCE_SPANS_FIELDS, where)
  const rs: ResourceSpans = { resource: resourceFromJson(o.resource, `${where}.resource`) }
  setIf(rs, 'scopeSpans', asArray(o.scopeSpans, `${where}.scopeSpans`).map((s, i) => scopeSpansFromJson(s, `${where}.scopeSpans[${i}]`)))
  setIf(rs, 'schemaUrl', jsonString(o.schemaUrl, `${where}.schemaUrl`))
  return rs
}

/** Parse a Tempo JSON `Trace` (`{"resourceSpans":[...]}`, or v1's `{"batches":[...]}`) already decoded by `JSON.parse`. Throws `TraceJsonError`. */
export function traceFromJson(value: unknown): Trace {
  const o = fields(value, TRACE_FIELDS, 'trace')
  const list = asArray(o.resourceSpans ?? o.batches, 'trace.resourceSpans')
  const trace: Trace = {}
  setIf(trace, 'resourceSpans', list.map((rs, i) => resourceSpansFromJson(rs, `trace.resourceSpans[${i}]`)))
  return trace
}
