/**
 * Protobuf decoding of `tempopb.Trace` / OTLP `TracesData` into the trace model. Fields absent on the
 * wire stay absent in the model (so decode(encode(t)) deep-equals a model that carries no explicit
 * zeros); the model's required messages (`resource`, `scope`, `status`, attribute `value`) become `{}`
 * when missing. Unknown fields are skipped, as every protobuf reader must.
 */
import { TempoBatchError } from '../contract/errors.js'
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

/** Bytes that are not a valid protobuf encoding of the expected message. */
export class ProtobufDecodeError extends TempoBatchError {}

const utf8 = new TextDecoder('utf-8')

/** A bounded forward reader; every nested message gets its own reader over a subarray. */
export class ProtoReader {
  private pos = 0
  private readonly view: DataView

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  /** True while bytes remain. */
  get more(): boolean {
    return this.pos < this.bytes.length
  }

  private fail(problem: string): never {
    throw new ProtobufDecodeError(`protobuf: ${problem} at offset ${this.pos}`)
  }

  /** Read a varint as a bigint (full 64 bits). */
  varint64(): bigint {
    let result = 0n
    let shift = 0n
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.bytes.length) this.fail('truncated varint')
      const byte = this.bytes[this.pos++]!
      result |= BigInt(byte & 0x7f) << shift
      if (byte < 0x80) return BigInt.asUintN(64, result)
      shift += 7n
    }
    return this.fail('varint longer than 10 bytes')
  }

  /** Read a varint that must fit a safe integer (lengths, tags, uint32 values). */
  varint(): number {
    let result = 0
    let scale = 1
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.bytes.length) this.fail('truncated varint')
      const byte = this.bytes[this.pos++]!
      result += (byte & 0x7f) * scale
      if (byte < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) this.fail('varint too large')
        return result
      }
      scale *= 128
    }
    return this.fail('varint longer than 10 bytes')
  }

  /** Read a uint32 varint the way Go truncates it. */
  uint32(): number {
    return Number(this.varint64() & 0xffffffffn)
  }

  /** Read an int32/enum varint the way Go truncates it. */
  int32(): number {
    return Number(BigInt.asIntN(32, this.varint64()))
  }

  /** Read a little-endian fixed64. */
  fixed64(): bigint {
    this.need(8)
    const value = this.view.getBigUint64(this.pos, true)
    this.pos += 8
    return value
  }

  /** Read a little-endian fixed32. */
  fixed32(): number {
    this.need(4)
    const value = this.view.getUint32(this.pos, true)
    this.pos += 4
    return value
  }

  /** Read a little-endian double. */
  double(): number {
    this.need(8)
    const value = this.view.getFloat64(this.pos, true)
    this.pos += 8
    return value
  }

  /** Read a length-delimited payload as a view into the input. */
  delimited(): Uint8Array {
    const length = this.varint()
    this.need(length)
    const slice = this.bytes.subarray(this.pos, this.pos + length)
    this.pos += length
    return slice
  }

  /** Read a length-delimited payload as an owned copy. */
  bytesCopy(): Uint8Array {
    return this.delimited().slice()
  }

  /** Read a length-delimited UTF-8 string. */
  string(): string {
    return utf8.decode(this.delimited())
  }

  /** Read a field tag: [field number, wire type]. */
  tag(): [number, number] {
    const key = this.varint()
    const field = Math.floor(key / 8)
    if (field === 0) this.fail('field number 0')
    return [field, key & 7]
  }

  /** Skip a field of the given wire type. */
  skip(wireType: number): void {
    if (wireType === 0) this.varint64()
    else if (wireType === 1) this.advance(8)
    else if (wireType === 2) this.delimited()
    else if (wireType === 5) this.advance(4)
    else this.fail(`unsupported wire type ${wireType}`)
  }

  /** Fail unless the field has the expected wire type. */
  expect(wireType: number, expected: number): void {
    if (wireType !== expected) this.fail(`wire type ${wireType}, expected ${expected}`)
  }

  private advance(count: number): void {
    this.need(count)
    this.pos += count
  }

  private need(count: number): void {
    if (this.pos + count > this.bytes.length) this.fail(`truncated field (${count} bytes needed)`)
  }
}

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
