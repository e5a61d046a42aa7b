import type { AnyValue, KeyValue, SpanLink } from '../otlp/model.js'
import { expectWireType, ProtoDecodeError, ProtoReader, protoString, toFloat64, toInt64, toUint32 } from './proto-reader.js'

/**
 * Decoders for the protobuf blobs of vParquet2/3: event attribute values (`AnyValue`) and span links
 * (`tempopb.LinkSlice` of OTLP `Span.Link`). Field numbers are OTLP's; unknown fields are skipped and
 * the last member of a oneof wins, as in Go's generated unmarshallers.
 */

/** Decode an OTLP `AnyValue` message; throws `ProtoDecodeError` on malformed input. */
export function decodeAnyValue(buf: Uint8Array): AnyValue {
  let value: AnyValue = {}
  const r = new ProtoReader(buf)
  while (!r.done) {
    const f = r.next()
    switch (f.field) {
      case 1:
        value = { stringValue: protoString(f) }
        break
      case 2:
        expectWireType(f, 0)
        value = { boolValue: f.varint !== 0n }
        break
      case 3:
        expectWireType(f, 0)
        value = { intValue: toInt64(f.varint) }
        break
      case 4:
        expectWireType(f, 1)
        value = { doubleValue: toFloat64(f.varint) }
        break
      case 5:
        expectWireType(f, 2)
        value = { arrayValue: decodeValues(f.data, 1, decodeAnyValue) }
        break
      case 6:
        expectWireType(f, 2)
        value = { kvlistValue: decodeValues(f.data, 1, decodeKeyValue) }
        break
      case 7:
        expectWireType(f, 2)
        value = { bytesValue: f.data.slice() }
        break
      default:
        break
    }
  }
  return value
}

/** Decode an OTLP `KeyValue`. */
export function decodeKeyValue(buf: Uint8Array): KeyValue {
  let key = ''
  let value: AnyValue = {}
  const r = new ProtoReader(buf)
  while (!r.done) {
    const f = r.next()
    if (f.field === 1) key = protoString(f)
    else if (f.field === 2) {
      expectWireType(f, 2)
      value = decodeAnyValue(f.data)
    }
  }
  return { key, value }
}

/** Decode a `tempopb.LinkSlice` (field 1 = repeated `Span.Link`); empty bytes = no links. */
export function decodeLinkSlice(buf: Uint8Array): SpanLink[] {
  const links: SpanLink[] = []
  const r = new ProtoReader(buf)
  while (!r.done) {
    const f = r.next()
    if (f.field === 1) {
      expectWireType(f, 2)
      links.push(decodeLink(f.data))
    }
  }
  return links
}

function decodeLink(buf: Uint8Array): SpanLink {
  const link: SpanLink = { traceId: new Uint8Array(0), spanId: new Uint8Array(0) }
  const attributes: KeyValue[] = []
  const r = new ProtoReader(buf)
  while (!r.done) {
    const f = r.next()
    switch (f.field) {
      case 1:
        expectWireType(f, 2)
        link.traceId = f.data.slice()
        break
      case 2:
        expectWireType(f, 2)
        link.spanId = f.data.slice()
        break
      case 3:
        link.traceState = protoString(f)
        break
      case 4:
        expectWireType(f, 2)
        attributes.push(decodeKeyValue(f.data))
        break
      case 5:
        expectWireType(f, 0)
        link.droppedAttributesCount = toUint32(f.varint)
        break
      case 6:
        expectWireType(f, 5)
        link.flags = toUint32(f.varint)
        break
      default:
        break
    }
  }
  if (attributes.length > 0) link.attributes = attributes
  return link
}

function decodeValues<T>(buf: Uint8Array, field: number, decode: (b: Uint8Array) => T): { values?: T[] } {
  const values: T[] = []
  const r = new ProtoReader(buf)
  while (!r.done) {
    const f = r.next()
    if (f.field === field) {
      if (f.wireType !== 2) throw new ProtoDecodeError(`wrong wire type ${f.wireType} for field ${f.field}`)
      values.push(decode(f.data))
    }
  }
  return values.length > 0 ? { values } : {}
}
