/**
 * The in-memory trace model: OTLP's `TracesData` with bytes as `Uint8Array` and 64-bit integers as
 * `bigint`. The row converters produce it, the combiner merges it, and the serializers turn it into
 * Tempo's JSON dialect or protobuf. Absent optional fields mean "zero" exactly as in protobuf, so
 * an empty `attributes` array and a missing one serialise identically (Tempo never emits `[]`).
 */

/** OTLP AnyValue: exactly one of these keys, or none (`{}` = a value with nothing set). */
export type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: bigint }
  | { doubleValue: number }
  | { arrayValue: ArrayValue }
  | { kvlistValue: KeyValueList }
  | { bytesValue: Uint8Array }
  | EmptyValue

/** An AnyValue with no value set. */
export type EmptyValue = Record<string, never>

/** OTLP ArrayValue; `values` undefined is Go's nil slice (JSON `{}`). */
export interface ArrayValue {
  values?: AnyValue[]
}

/** OTLP KeyValueList. */
export interface KeyValueList {
  values?: KeyValue[]
}

/** One attribute. */
export interface KeyValue {
  key: string
  value: AnyValue
}

/** OTLP Resource. */
export interface Resource {
  attributes?: KeyValue[]
  droppedAttributesCount?: number
}

/** OTLP InstrumentationScope. */
export interface InstrumentationScope {
  name?: string
  version?: string
  attributes?: KeyValue[]
  droppedAttributesCount?: number
}

/** OTLP Span.Event. */
export interface SpanEvent {
  timeUnixNano: bigint
  name?: string
  attributes?: KeyValue[]
  droppedAttributesCount?: number
}

/** OTLP Span.Link. */
export interface SpanLink {
  traceId: Uint8Array
  spanId: Uint8Array
  traceState?: string
  attributes?: KeyValue[]
  droppedAttributesCount?: number
  flags?: number
}

/** OTLP Status (code: 0 UNSET, 1 OK, 2 ERROR). Always present on spans Tempo returns. */
export interface SpanStatus {
  message?: string
  code?: number
}

/** OTLP Span (kind: 0 UNSPECIFIED, 1 INTERNAL, 2 SERVER, 3 CLIENT, 4 PRODUCER, 5 CONSUMER). */
export interface Span {
  traceId: Uint8Array
  spanId: Uint8Array
  traceState?: string
  parentSpanId?: Uint8Array
  flags?: number
  name?: string
  kind?: number
  startTimeUnixNano: bigint
  endTimeUnixNano: bigint
  attributes?: KeyValue[]
  droppedAttributesCount?: number
  events?: SpanEvent[]
  droppedEventsCount?: number
  links?: SpanLink[]
  droppedLinksCount?: number
  status: SpanStatus
}

/** OTLP ScopeSpans; `spans` may be absent (vParquet3 keeps scopes whose spans were all de-duplicated). */
export interface ScopeSpans {
  scope: InstrumentationScope
  spans?: Span[]
  schemaUrl?: string
}

/** OTLP ResourceSpans. */
export interface ResourceSpans {
  resource: Resource
  scopeSpans?: ScopeSpans[]
  schemaUrl?: string
}

/** A whole (or partial) trace: Tempo's `tempopb.Trace`, wire-identical to OTLP TracesData. */
export interface Trace {
  resourceSpans?: ResourceSpans[]
}
