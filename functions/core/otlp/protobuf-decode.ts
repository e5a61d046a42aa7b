/**
 * Protobuf decoding of `tempopb.Trace` / OTLP `TracesData` into the trace model. Fields absent on the
 * wire stay absent in the model (so decode(encode(t)) deep-equals a model that carries no explicit
 * zeros); the model's required messages (`resource`, `scope`, `status`, attribute `value`) become `{}`
 * when missing. Unknown fields are skipped, as every protobuf reader must. The same decoders read
 * vParquet2/3's protobuf blobs (span links, event attribute values).
 */
import { ProtoReader, ProtobufDecodeError } from '../encoding/protobuf.js'
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

export { ProtobufDecodeError } from '../encoding/protobuf.js'

/** Decode one message: `onField` handles known fields and returns false for fields to skip. */
function decodeFields(bytes: Uint8Array, onField: (r: ProtoReader, field: number, wireType: number) => boolean): void {
  const r = new ProtoReader(bytes)
  while (r.more) {
    const [field, wireType] = r.tag()
    if (!onField(r, field, wireType)) r.skip(wireType)
  }
}

function pushTo<T>(list: T[] | undefined, item: T): T[] {
  if (list) {
    list.push(item)
    return list
  }
  return [item]
}

/** Nesting limit for array/kvlist values, so hostile input fails cleanly instead of overflowing the stack */
const MAX_VALUE_DEPTH = 100

/** Decode an AnyValue; a repeated oneof field replaces the earlier one, as in Go. */
export function decodeAnyValue(bytes: Uint8Array, depth = 0): AnyValue {
  if (depth > MAX_VALUE_DEPTH) throw new ProtobufDecodeError(`protobuf: attribute values nested deeper than ${MAX_VALUE_DEPTH}`)
  let value: AnyValue = {}
  decodeFields(bytes, (r, field, wireType) => {
    switch (field) {
      case 1: r.expect(wireType, 2); value = { stringValue: r.string() }; return true
      case 2: r.expect(wireType, 0); value = { boolValue: r.varint64() !== 0n }; return true
      case 3: r.expect(wireType, 0); value = { intValue: BigInt.asIntN(64, r.varint64()) }; return true
      case 4: r.expect(wireType, 1); value = { doubleValue: r.double() }; return true
      case 5: r.expect(wireType, 2); value = { arrayValue: decodeArrayValue(r.delimited(), depth + 1) }; return true
      case 6: r.expect(wireType, 2); value = { kvlistValue: decodeKeyValueList(r.delimited(), depth + 1) }; return true
      case 7: r.expect(wireType, 2); value = { bytesValue: r.bytesCopy() }; return true
      default: return false
    }
  })
  return value
}

function decodeArrayValue(bytes: Uint8Array, depth: number): ArrayValue {
  const array: ArrayValue = {}
  decodeFields(bytes, (r, field, wireType) => {
    if (field !== 1) return false
    r.expect(wireType, 2)
    array.values = pushTo(array.values, decodeAnyValue(r.delimited(), depth))
    return true
  })
  return array
}

function decodeKeyValueList(bytes: Uint8Array, depth: number): KeyValueList {
  const list: KeyValueList = {}
  decodeFields(bytes, (r, field, wireType) => {
    if (field !== 1) return false
    r.expect(wireType, 2)
    list.values = pushTo(list.values, decodeKeyValue(r.delimited(), depth))
    return true
  })
  return list
}

function decodeKeyValue(bytes: Uint8Array, depth = 0): KeyValue {
  const attribute: KeyValue = { key: '', value: {} }
  decodeFields(bytes, (r, field, wireType) => {
    switch (field) {
      case 1: r.expect(wireType, 2); attribute.key = r.string(); return true
      case 2: r.expect(wireType, 2); attribute.value = decodeAnyValue(r.delimited(), depth); return true
      default: return false
    }
  })
  return attribute
}

function decodeResource(bytes: Uint8Array): Resource {
  const resource: Resource = {}
  decodeFields(bytes, (r, field, wireType) => {
    switch (field) {
      case 1: r.expect(wireType, 2); resource.attributes = pushTo(resource.attributes, decodeKeyValue(r.delimited())); return true
      case 2: r.expect(wireType, 0); resource.droppedAttributesCount = r.uint32(); return true
      default: return false
    }
  })
  return resource
}

function decodeScope(bytes: Uint8Array): InstrumentationScope {
  const scope: InstrumentationScope = {}
  decodeFields(bytes, (r, field, wireType) => {
    switch (field) {
      case 1: r.expect(wireType, 2); scope.name = r.string(); return true
      case 2: r.expect(wireType, 2); scope.version = r.string(); return true
      case 3: r.expect(wireType, 2); scope.attributes = pushTo(scope.attributes, decodeKeyValue(r.delimited())); return true
      case 4: r.expect(wireType, 0); scope.droppedAttributesCount = r.uint32(); return true
      default: return false
    }
  })
  return scope
}

function decodeEvent(bytes: Uint8Array): SpanEvent {
  const event: SpanEvent = { timeUnixNano: 0n }
  decodeFields(bytes, (r, field, wireType) => {
    switch (field) {
      case 1: r.expect(wireType, 1); event.timeUnixNano = r.fixed64(); return true
      case 2: r.expect(wireType, 2); event.name = r.string(); return true
      case 3: r.expect(wireType, 2); event.attributes = pushTo(event.attributes, decodeKeyValue(r.delimited())); return true
      case 4: r.expect(wireType, 0); event.droppedAttributesCount = r.uint32(); return true
      default: return false
    }
  })
  return event
}

function decodeLink(bytes: Uint8Array): SpanLink {
  const link: SpanLink = { traceId: new Uint8Array(0), spanId: new Uint8Array(0) }
  decodeFields(bytes, (r, field, wireType) => {
    switch (field) {
      case 1: r.expect(wireType, 2); link.traceId = r.bytesCopy(); return true
      case 2: r.expect(wireType, 2); link.spanId = r.bytesCopy(); return true
      case 3: r.expect(wireType, 2); link.traceState = r.string(); return true
      case 4: r.expect(wireType, 2); link.attributes = pushTo(link.attributes, decodeKeyValue(r.delimited())); return true
      case 5: r.expect(wireType, 0); link.droppedAttributesCount = r.uint32(); return true
      case 6: r.expect(wireType, 5); link.flags = r.fixed32(); return true
      default: return false
    }
  })
  return link
}

function decodeStatus(bytes: Uint8Array): SpanStatus {
  const status: SpanStatus = {}
  decodeFields(bytes, (r, field, wireType) => {
    switch (field) {
      case 2: r.expect(wireType, 2); status.message = r.string(); return true
      case 3: r.expect(wireType, 0); status.code = r.int32(); return true
      default: return false
    }
  })
  return status
}

function decodeSpan(bytes: Uint8Array): Span {
  const span: Span = {
    traceId: new Uint8Array(0),
    spanId: new Uint8Array(0),
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    status: {},
  }
  decodeFields(bytes, (r, field, wireType) => {
    switch (field) {
      case 1: r.expect(wireType, 2); span.traceId = r.bytesCopy(); return true
      case 2: r.expect(wireType, 2); span.spanId = r.bytesCopy(); return true
      case 3: r.expect(wireType, 2); span.traceState = r.string(); return true
      case 4: r.expect(wireType, 2); span.parentSpanId = r.bytesCopy(); return true
      case 5: r.expect(wireType, 2); span.name = r.string(); return true
      case 6: r.expect(wireType, 0); span.kind = r.int32(); return true
      case 7: r.expect(wireType, 1); span.startTimeUnixNano = r.fixed64(); return true
      case 8: r.expect(wireType, 1); span.endTimeUnixNano = r.fixed64(); return true
      case 9: r.expect(wireType, 2); span.attributes = pushTo(span.attributes, decodeKeyValue(r.delimited())); return true
      case 10: r.expect(wireType, 0); span.droppedAttributesCount = r.uint32(); return true
      case 11: r.expect(wireType, 2); span.events = pushTo(span.events, decodeEvent(r.delimited())); return true
      case 12: r.expect(wireType, 0); span.droppedEventsCount = r.uint32(); return true
      case 13: r.expect(wireType, 2); span.links = pushTo(span.links, decodeLink(r.delimited())); return true
      case 14: r.expect(wireType, 0); span.droppedLinksCount = r.uint32(); return true
      case 15: r.expect(wireType, 2); span.status = decodeStatus(r.delimited()); return true
      case 16: r.expect(wireType, 5); span.flags = r.fixed32(); return true
      default: return false
    }
  })
  return span
}

function decodeScopeSpans(bytes: Uint8Array): ScopeSpans {
  const scopeSpans: ScopeSpans = { scope: {} }
  decodeFields(bytes, (r, field, wireType) => {
    switch (field) {
      case 1: r.expect(wireType, 2); scopeSpans.scope = decodeScope(r.delimited()); return true
      case 2: r.expect(wireType, 2); scopeSpans.spans = pushTo(scopeSpans.spans, decodeSpan(r.delimited())); return true
      case 3: r.expect(wireType, 2); scopeSpans.schemaUrl = r.string(); return true
      default: return false
    }
  })
  return scopeSpans
}

function decodeResourceSpans(bytes: Uint8Array): ResourceSpans {
  const resourceSpans: ResourceSpans = { resource: {} }
  decodeFields(bytes, (r, field, wireType) => {
    switch (field) {
      case 1: r.expect(wireType, 2); resourceSpans.resource = decodeResource(r.delimited()); return true
      case 2: r.expect(wireType, 2); resourceSpans.scopeSpans = pushTo(resourceSpans.scopeSpans, decodeScopeSpans(r.delimited())); return true
      case 3: r.expect(wireType, 2); resourceSpans.schemaUrl = r.string(); return true
      default: return false
    }
  })
  return resourceSpans
}

/** Decode `tempopb.LinkSlice` {repeated Span.Link links = 1} (vParquet2/3's `Links` column). */
export function decodeLinkSliceMessage(bytes: Uint8Array): SpanLink[] {
  const links: SpanLink[] = []
  decodeFields(bytes, (r, field, wireType) => {
    if (field !== 1) return false
    r.expect(wireType, 2)
    links.push(decodeLink(r.delimited()))
    return true
  })
  return links
}

/** Decode `tempopb.Trace` / OTLP `TracesData` bytes. */
export function decodeTraceMessage(bytes: Uint8Array): Trace {
  const trace: Trace = {}
  decodeFields(bytes, (r, field, wireType) => {
    if (field !== 1) return false
    r.expect(wireType, 2)
    trace.resourceSpans = pushTo(trace.resourceSpans, decodeResourceSpans(r.delimited()))
    return true
  })
  return trace
}
