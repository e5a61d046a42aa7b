/**
 * Exact protobuf sizes of the trace model, without allocating: Tempo measures `max_bytes_per_trace`
 * with gogo's `Trace.Size()`, and the combiner asks after every consume. Every function mirrors one
 * message of opentelemetry-proto as Tempo vendors it (proto3: zero scalars, empty strings/bytes and
 * empty repeated fields are omitted; `resource`, `scope`, `status` and attribute values are always
 * present in the model and therefore always emitted, as Tempo's non-nil gogo structs are).
 */
import type {
  AnyValue,
  ArrayValue,
  InstrumentationScope,
  KeyValue,
  KeyValueList,
  Resource,
  ResourceSpans,
  ScopeSpans,
  Span,
  SpanEvent,
  SpanLink,
  SpanStatus,
  Trace,
} from './model.js'

/** Bytes of a varint holding a non-negative safe integer. */
export function varintSize(value: number): number {
  let size = 1
  while (value >= 0x80) {
    value = Math.floor(value / 128)
    size++
  }
  return size
}

/** Bytes of a varint holding a 64-bit value (negative int64s are sign-extended to 10 bytes). */
export function varint64Size(value: bigint): number {
  if (value < 0n) return 10
  if (value <= 0x1fffffffffffffn) return varintSize(Number(value))
  let v = BigInt.asUintN(64, value)
  let size = 1
  while (v >= 0x80n) {
    v >>= 7n
    size++
  }
  return size
}

/** Bytes of an enum/int32 varint; negative values take 10 bytes as in Go. */
export function int32VarintSize(value: number): number {
  return value < 0 ? 10 : varintSize(value)
}

/** UTF-8 byte length of a JS string; lone surrogates count as U+FFFD (3 bytes), as TextEncoder writes them. */
export function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) bytes += 1
    else if (code < 0x800) bytes += 2
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        i++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

/** A length-delimited field with a one-byte tag (field numbers 1-15). */
export function delimitedSize(contentSize: number): number {
  return 1 + varintSize(contentSize) + contentSize
}

function stringFieldSize(text: string | undefined): number {
  if (!text) return 0
  return delimitedSize(utf8Length(text))
}

function bytesFieldSize(bytes: Uint8Array | undefined): number {
  if (!bytes || bytes.length === 0) return 0
  return delimitedSize(bytes.length)
}

function uint32FieldSize(value: number | undefined): number {
  return value ? 1 + varintSize(value) : 0
}

function enumFieldSize(value: number | undefined): number {
  return value ? 1 + int32VarintSize(value) : 0
}

function attributesSize(attributes: KeyValue[] | undefined): number {
  if (!attributes) return 0
  let size = 0
  for (const attribute of attributes) size += delimitedSize(keyValueSize(attribute))
  return size
}

/** Content size of an AnyValue (a set oneof is emitted even when its value is zero). */
export function anyValueSize(value: AnyValue): number {
  if ('stringValue' in value) return delimitedSize(utf8Length(value.stringValue))
  if ('boolValue' in value) return 2
  if ('intValue' in value) return 1 + varint64Size(value.intValue)
  if ('doubleValue' in value) return 9
  if ('arrayValue' in value) return delimitedSize(arrayValueSize(value.arrayValue))
  if ('kvlistValue' in value) return delimitedSize(keyValueListSize(value.kvlistValue))
  if ('bytesValue' in value) return delimitedSize(value.bytesValue.length)
  return 0
}

/** Content size of an ArrayValue. */
export function arrayValueSize(array: ArrayValue): number {
  if (!array.values) return 0
  let size = 0
  for (const item of array.values) size += delimitedSize(anyValueSize(item))
  return size
}

/** Content size of a KeyValueList. */
export function keyValueListSize(list: KeyValueList): number {
  return attributesSize(list.values)
}

/** Content size of a KeyValue. */
export function keyValueSize(attribute: KeyValue): number {
  return stringFieldSize(attribute.key) + delimitedSize(anyValueSize(attribute.value))
}

/** Content size of a Resource. */
export function resourceSize(resource: Resource): number {
  return attributesSize(resource.attributes) + uint32FieldSize(resource.droppedAttributesCount)
}

/** Content size of an InstrumentationScope. */
export function scopeSize(scope: InstrumentationScope): number {
  return (
    stringFieldSize(scope.name) +
    stringFieldSize(scope.version) +
    attributesSize(scope.attributes) +
    uint32FieldSize(scope.droppedAttributesCount)
  )
}

/** Content size of a Span.Event. */
export function eventSize(event: SpanEvent): number {
  return (
    (event.timeUnixNano !== 0n ? 9 : 0) +
    stringFieldSize(event.name) +
    attributesSize(event.attributes) +
    uint32FieldSize(event.droppedAttributesCount)
  )
}

/** Content size of a Span.Link. */
export function linkSize(link: SpanLink): number {
  return (
    bytesFieldSize(link.traceId) +
    bytesFieldSize(link.spanId) +
    stringFieldSize(link.traceState) +
    attributesSize(link.attributes) +
    uint32FieldSize(link.droppedAttributesCount) +
    (link.flags ? 5 : 0)
  )
}

/** Content size of a Status. */
export function statusSize(status: SpanStatus): number {
  return stringFieldSize(status.message) + enumFieldSize(status.code)
}

/** Content size of a Span. */
export function spanSize(span: Span): number {
  let size =
    bytesFieldSize(span.traceId) +
    bytesFieldSize(span.spanId) +
    stringFieldSize(span.traceState) +
    bytesFieldSize(span.parentSpanId) +
    stringFieldSize(span.name) +
    enumFieldSize(span.kind) +
    (span.startTimeUnixNano !== 0n ? 9 : 0) +
    (span.endTimeUnixNano !== 0n ? 9 : 0) +
    attributesSize(span.attributes) +
    uint32FieldSize(span.droppedAttributesCount) +
    uint32FieldSize(span.droppedEventsCount) +
    uint32FieldSize(span.droppedLinksCount) +
    delimitedSize(statusSize(span.status)) +
    // flags is field 16: a two-byte tag plus fixed32
    (span.flags ? 6 : 0)
  if (span.events) for (const event of span.events) size += delimitedSize(eventSize(event))
  if (span.links) for (const link of span.links) size += delimitedSize(linkSize(link))
  return size
}

/** Content size of a ScopeSpans. */
export function scopeSpansSize(scopeSpans: ScopeSpans): number {
  let size = delimitedSize(scopeSize(scopeSpans.scope)) + stringFieldSize(scopeSpans.schemaUrl)
  if (scopeSpans.spans) for (const span of scopeSpans.spans) size += delimitedSize(spanSize(span))
  return size
}

/** Content size of a ResourceSpans. */
export function resourceSpansSize(resourceSpans: ResourceSpans): number {
  let size = delimitedSize(resourceSize(resourceSpans.resource)) + stringFieldSize(resourceSpans.schemaUrl)
  if (resourceSpans.scopeSpans) for (const scopeSpans of resourceSpans.scopeSpans) size += delimitedSize(scopeSpansSize(scopeSpans))
  return size
}

/** Size of a whole `tempopb.Trace` (= OTLP TracesData) message. */
export function traceSize(trace: Trace): number {
  let size = 0
  if (trace.resourceSpans) for (const resourceSpans of trace.resourceSpans) size += delimitedSize(resourceSpansSize(resourceSpans))
  return size
}
