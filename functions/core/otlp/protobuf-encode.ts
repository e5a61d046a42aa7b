/**
 * Protobuf encoding of the trace model, byte-identical to gogo's `Marshal` of the same `tempopb.Trace`:
 * like gogo's `MarshalToSizedBuffer` it fills an exactly sized buffer from the END, fields in
 * descending number order, so every nested length is known when it is written and the tree is walked
 * once (plus one size pass to allocate).
 */
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
import { anyValueSize, delimitedSize, linkSize, traceSize, utf8Length, varint64Size, varintSize } from './protobuf-size.js'

const WIRE_VARINT = 0
const WIRE_FIXED64 = 1
const WIRE_DELIMITED = 2
const WIRE_FIXED32 = 5

const utf8 = new TextEncoder()

/** A writer that fills an exactly sized buffer backwards (last field first). */
export class ReverseProtoWriter {
  readonly bytes: Uint8Array
  private readonly view: DataView
  /** Index of the first written byte; writing moves it towards 0. */
  pos: number

  constructor(size: number) {
    this.bytes = new Uint8Array(size)
    this.view = new DataView(this.bytes.buffer)
    this.pos = size
  }

  /** Write a varint of a non-negative safe integer. */
  varint(value: number): void {
    let i = (this.pos -= varintSize(value))
    while (value >= 0x80) {
      this.bytes[i++] = (value % 128) | 0x80
      value = Math.floor(value / 128)
    }
    this.bytes[i] = value
  }

  /** Write a 64-bit varint (negative values as two's complement, 10 bytes). */
  varint64(value: bigint): void {
    if (value >= 0n && value <= 0x1fffffffffffffn) {
      this.varint(Number(value))
      return
    }
    let v = BigInt.asUintN(64, value)
    let i = (this.pos -= varint64Size(v))
    while (v >= 0x80n) {
      this.bytes[i++] = Number(v & 0x7fn) | 0x80
      v >>= 7n
    }
    this.bytes[i] = Number(v)
  }

  /** Write a field tag. */
  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType)
  }

  /** Write the length prefix and tag of a nested message whose content ends at `end`. */
  closeMessage(field: number, end: number): void {
    this.varint(end - this.pos)
    this.tag(field, WIRE_DELIMITED)
  }

  /** Length-delimited string field, omitted when empty. */
  stringField(field: number, text: string | undefined): void {
    if (!text) return
    this.stringAlways(field, text)
  }

  /** Length-delimited string field, written even when empty (a set oneof). */
  stringAlways(field: number, text: string): void {
    const length = utf8Length(text)
    this.pos -= length
    if (length === text.length && length < 256) {
      // ASCII: copying code units beats encodeInto's per-call cost on the many short keys and names
      for (let i = 0; i < length; i++) this.bytes[this.pos + i] = text.charCodeAt(i)
    } else {
      const { written } = utf8.encodeInto(text, this.bytes.subarray(this.pos, this.pos + length))
      if (written !== length) throw new Error(`protobuf: utf-8 length mismatch (${written} != ${length})`)
    }
    this.varint(length)
    this.tag(field, WIRE_DELIMITED)
  }

  /** Length-delimited bytes field, omitted when empty. */
  bytesField(field: number, bytes: Uint8Array | undefined): void {
    if (!bytes || bytes.length === 0) return
    this.bytesAlways(field, bytes)
  }

  /** Length-delimited bytes field, written even when empty (a set oneof). */
  bytesAlways(field: number, bytes: Uint8Array): void {
    this.pos -= bytes.length
    this.bytes.set(bytes, this.pos)
    this.varint(bytes.length)
    this.tag(field, WIRE_DELIMITED)
  }

  /** uint32 varint field, omitted when zero. */
  uint32Field(field: number, value: number | undefined): void {
    if (!value) return
    this.varint(value)
    this.tag(field, WIRE_VARINT)
  }

  /** enum/int32 varint field, omitted when zero; negative values sign-extend as in Go. */
  enumField(field: number, value: number | undefined): void {
    if (!value) return
    if (value < 0) this.varint64(BigInt(value))
    else this.varint(value)
    this.tag(field, WIRE_VARINT)
  }

  /** fixed64 field (unsigned), omitted when zero. */
  fixed64Field(field: number, value: bigint): void {
    if (value === 0n) return
    this.pos -= 8
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, value), true)
    this.tag(field, WIRE_FIXED64)
  }

  /** double field, always written (only used inside a oneof). */
  doubleAlways(field: number, value: number): void {
    this.pos -= 8
    this.view.setFloat64(this.pos, value, true)
    this.tag(field, WIRE_FIXED64)
  }

  /** fixed32 field, omitted when zero. */
  fixed32Field(field: number, value: number | undefined): void {
    if (!value) return
    this.pos -= 4
    this.view.setUint32(this.pos, value >>> 0, true)
    this.tag(field, WIRE_FIXED32)
  }
}

type Write<T> = (w: ReverseProtoWriter, item: T) => void

/** Repeated message field: elements written last-first so they read first-last. */
function writeRepeated<T>(w: ReverseProtoWriter, field: number, items: T[] | undefined, write: Write<T>): void {
  if (!items) return
  for (let i = items.length - 1; i >= 0; i--) writeMessage(w, field, items[i]!, write)
}

function writeMessage<T>(w: ReverseProtoWriter, field: number, item: T, write: Write<T>): void {
  const end = w.pos
  write(w, item)
  w.closeMessage(field, end)
}

const writeKeyValue: Write<KeyValue> = (w, attribute) => {
  writeMessage(w, 2, attribute.value, writeAnyValue)
  w.stringField(1, attribute.key)
}

const writeAnyValue: Write<AnyValue> = (w, value) => {
  if ('stringValue' in value) w.stringAlways(1, value.stringValue)
  else if ('boolValue' in value) {
    w.varint(value.boolValue ? 1 : 0)
    w.tag(2, WIRE_VARINT)
  } else if ('intValue' in value) {
    w.varint64(value.intValue)
    w.tag(3, WIRE_VARINT)
  } else if ('doubleValue' in value) w.doubleAlways(4, value.doubleValue)
  else if ('arrayValue' in value) {
    const end = w.pos
    writeRepeated(w, 1, value.arrayValue.values, writeAnyValue)
    w.closeMessage(5, end)
  } else if ('kvlistValue' in value) {
    const end = w.pos
    writeRepeated(w, 1, value.kvlistValue.values, writeKeyValue)
    w.closeMessage(6, end)
  } else if ('bytesValue' in value) w.bytesAlways(7, value.bytesValue)
}

const writeResource: Write<Resource> = (w, resource) => {
  w.uint32Field(2, resource.droppedAttributesCount)
  writeRepeated(w, 1, resource.attributes, writeKeyValue)
}

const writeScope: Write<InstrumentationScope> = (w, scope) => {
  w.uint32Field(4, scope.droppedAttributesCount)
  writeRepeated(w, 3, scope.attributes, writeKeyValue)
  w.stringField(2, scope.version)
  w.stringField(1, scope.name)
}

const writeEvent: Write<SpanEvent> = (w, event) => {
  w.uint32Field(4, event.droppedAttributesCount)
  writeRepeated(w, 3, event.attributes, writeKeyValue)
  w.stringField(2, event.name)
  w.fixed64Field(1, event.timeUnixNano)
}

const writeLink: Write<SpanLink> = (w, link) => {
  w.fixed32Field(6, link.flags)
  w.uint32Field(5, link.droppedAttributesCount)
  writeRepeated(w, 4, link.attributes, writeKeyValue)
  w.stringField(3, link.traceState)
  w.bytesField(2, link.spanId)
  w.bytesField(1, link.traceId)
}

const writeStatus: Write<SpanStatus> = (w, status) => {
  w.enumField(3, status.code)
  w.stringField(2, status.message)
}

const writeSpan: Write<Span> = (w, span) => {
  w.fixed32Field(16, span.flags)
  writeMessage(w, 15, span.status, writeStatus)
  w.uint32Field(14, span.droppedLinksCount)
  writeRepeated(w, 13, span.links, writeLink)
  w.uint32Field(12, span.droppedEventsCount)
  writeRepeated(w, 11, span.events, writeEvent)
  w.uint32Field(10, span.droppedAttributesCount)
  writeRepeated(w, 9, span.attributes, writeKeyValue)
  w.fixed64Field(8, span.endTimeUnixNano)
  w.fixed64Field(7, span.startTimeUnixNano)
  w.enumField(6, span.kind)
  w.stringField(5, span.name)
  w.bytesField(4, span.parentSpanId)
  w.stringField(3, span.traceState)
  w.bytesField(2, span.spanId)
  w.bytesField(1, span.traceId)
}

const writeScopeSpans: Write<ScopeSpans> = (w, scopeSpans) => {
  w.stringField(3, scopeSpans.schemaUrl)
  writeRepeated(w, 2, scopeSpans.spans, writeSpan)
  writeMessage(w, 1, scopeSpans.scope, writeScope)
}

const writeResourceSpans: Write<ResourceSpans> = (w, resourceSpans) => {
  w.stringField(3, resourceSpans.schemaUrl)
  writeRepeated(w, 2, resourceSpans.scopeSpans, writeScopeSpans)
  writeMessage(w, 1, resourceSpans.resource, writeResource)
}

/** Write the fields of a `tempopb.Trace` (no outer length) in front of `w.pos`. */
export function writeTrace(w: ReverseProtoWriter, trace: Trace): void {
  writeRepeated(w, 1, trace.resourceSpans, writeResourceSpans)
}

/** Write a whole nested message field (tag, length, content) in front of `w.pos`. */
export function writeTraceField(w: ReverseProtoWriter, field: number, trace: Trace): void {
  writeMessage(w, field, trace, writeTrace)
}

/** Encode one `AnyValue` message (vParquet2/3 store event attribute values this way). */
export function encodeAnyValueMessage(value: AnyValue): Uint8Array {
  return encodeExact(anyValueSize(value), (w) => writeAnyValue(w, value))
}

/** Encode `tempopb.LinkSlice` {repeated Span.Link links = 1} (vParquet2/3's `Links` column). */
export function encodeLinkSliceMessage(links: SpanLink[]): Uint8Array {
  let size = 0
  for (const link of links) size += delimitedSize(linkSize(link))
  return encodeExact(size, (w) => writeRepeated(w, 1, links, writeLink))
}

function encodeExact(size: number, write: (w: ReverseProtoWriter) => void): Uint8Array {
  const w = new ReverseProtoWriter(size)
  write(w)
  if (w.pos !== 0) throw new Error(`protobuf: size pass and encoder disagree by ${w.pos} bytes`)
  return w.bytes
}

/** Encode a trace as `tempopb.Trace` / OTLP `TracesData` bytes. */
export function encodeTraceMessage(trace: Trace): Uint8Array {
  return encodeExact(traceSize(trace), (w) => writeTrace(w, trace))
}
