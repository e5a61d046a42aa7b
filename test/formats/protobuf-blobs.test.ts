import { describe, expect, it } from 'vitest'
import { decodeAnyValue, decodeLinkSliceMessage as decodeLinkSlice, ProtobufDecodeError } from '../../functions/core/otlp/protobuf-decode.js'

/** The vParquet2/3 protobuf blobs: span `Links` (LinkSlice) and event attribute `Value` (AnyValue). */

function varint(n: number): number[] {
  const out: number[] = []
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80)
    n >>>= 7
  }
  out.push(n)
  return out
}

function field(num: number, payload: number[]): number[] {
  return [...varint((num << 3) | 2), ...varint(payload.length), ...payload]
}

const text = (s: string) => [...new TextEncoder().encode(s)]

describe('LinkSlice', () => {
  it('decodes links with IDs, trace state, attributes, dropped count and flags', () => {
    const attr = [...field(1, text('ref')), ...field(2, field(1, text('child_of')))]
    const link = [
      ...field(1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]),
      ...field(2, [0, 0, 0, 0, 0, 0, 0, 1]),
      ...field(3, text('a=b')),
      ...field(4, attr),
      ...[0x28, 2], // dropped_attributes_count = 2
      ...[0x35, 1, 0, 0, 0], // flags (fixed32) = 1
    ]
    const links = decodeLinkSlice(new Uint8Array([...field(1, link), ...field(1, [])]))
    expect(links).toEqual([
      {
        traceId: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]),
        spanId: new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1]),
        traceState: 'a=b',
        attributes: [{ key: 'ref', value: { stringValue: 'child_of' } }],
        droppedAttributesCount: 2,
        flags: 1,
      },
      { traceId: new Uint8Array(0), spanId: new Uint8Array(0) },
    ])
    expect(decodeLinkSlice(new Uint8Array(0))).toEqual([])
  })

  it('rejects truncated or mistyped bytes', () => {
    expect(() => decodeLinkSlice(new Uint8Array([0x0a, 5, 1]))).toThrow(ProtobufDecodeError)
    expect(() => decodeLinkSlice(new Uint8Array([0x08, 1]))).toThrow(ProtobufDecodeError)
  })
})

describe('AnyValue protobuf', () => {
  it('decodes every member; the last oneof member wins; unknown fields are skipped', () => {
    const dbl = new Uint8Array(8)
    new DataView(dbl.buffer).setFloat64(0, -0, true)
    expect(Object.is((decodeAnyValue(new Uint8Array([0x21, ...dbl])) as { doubleValue: number }).doubleValue, -0)).toBe(true)
    expect(decodeAnyValue(new Uint8Array([0x10, 1]))).toEqual({ boolValue: true })
    expect(decodeAnyValue(new Uint8Array([0x3a, 0]))).toEqual({ bytesValue: new Uint8Array(0) })
    expect(decodeAnyValue(new Uint8Array([...field(5, [])]))).toEqual({ arrayValue: {} })
    expect(decodeAnyValue(new Uint8Array([...field(6, field(1, field(1, text('a'))))]))).toEqual({ kvlistValue: { values: [{ key: 'a', value: {} }] } })
    expect(decodeAnyValue(new Uint8Array([...field(1, text('x')), 0x18, 7]))).toEqual({ intValue: 7n })
    expect(decodeAnyValue(new Uint8Array([0x78, 1, ...field(1, text('y'))]))).toEqual({ stringValue: 'y' })
    expect(decodeAnyValue(new Uint8Array(0))).toEqual({})
  })
})
