import { describe, expect, it } from 'vitest'
import type { AnyValue, Span, Trace } from '../../functions/core/otlp/model.js'
import {
  decodeTrace,
  decodeTraceByIdResponse,
  encodeTrace,
  encodeTraceByIdResponse,
  ProtobufDecodeError,
  traceProtoSize,
} from '../../functions/core/otlp/protobuf.js'

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'))

function oneSpanTrace(span: Partial<Span>): Trace {
  return {
    resourceSpans: [
      {
        resource: {},
        scopeSpans: [{ scope: {}, spans: [{ traceId: new Uint8Array(0), spanId: new Uint8Array(0), startTimeUnixNano: 0n, endTimeUnixNano: 0n, status: {}, ...span }] }],
      },
    ],
  }
}

describe('encodeTrace (hand-computed wire bytes)', () => {
  it('writes fields in field-number order with proto3 zero omission and always-present resource/scope/status', () => {
    const trace = oneSpanTrace({
      traceId: fromHex('0102030405060708090a0b0c0d0e0f10'),
      spanId: fromHex('a1a2a3a4a5a6a7a8'),
      name: 'a',
      kind: 2,
      startTimeUnixNano: 1n,
      endTimeUnixNano: 2n,
    })
    const span =
      '0a10 0102030405060708090a0b0c0d0e0f10' + // 1 traceId
      '1208 a1a2a3a4a5a6a7a8' + // 2 spanId
      '2a01 61' + // 5 name
      '3002' + // 6 kind
      '39 0100000000000000' + // 7 start fixed64
      '41 0200000000000000' + // 8 end fixed64
      '7a00' // 15 status {}
    const expected = '0a3d' + '0a00' + '1239' + '0a00' + '1235' + span
    expect(hex(encodeTrace(trace))).toBe(expected.replace(/\s+/g, ''))
    expect(traceProtoSize(trace)).toBe(63)
  })

  it('omits explicit zero values exactly like absent ones', () => {
    const bare = oneSpanTrace({})
    const zeros = oneSpanTrace({
      name: '',
      kind: 0,
      traceState: '',
      parentSpanId: new Uint8Array(0),
      flags: 0,
      attributes: [],
      droppedAttributesCount: 0,
      events: [],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { code: 0, message: '' },
    })
    expect(hex(encodeTrace(zeros))).toBe(hex(encodeTrace(bare)))
    expect(hex(encodeTrace(bare))).toBe('0a0a' + '0a00' + '1206' + '0a00' + '1202' + '7a00')
  })

  it('encodes flags as field 16 (two-byte tag) and negative ints as 10-byte varints', () => {
    const trace = oneSpanTrace({ flags: 0x101, attributes: [{ key: 'k', value: { intValue: -1n } }] })
    const bytes = encodeTrace(trace)
    expect(hex(bytes)).toContain('8501' + '01010000')
    // KeyValue: key "k", value AnyValue{ intValue: -1 } = 18 ff ff ff ff ff ff ff ff ff 01
    expect(hex(bytes)).toContain('4a10' + '0a016b' + '120b' + '18ffffffffffffffffff01')
    expect(traceProtoSize(trace)).toBe(bytes.length)
  })

  it('emits a set oneof even when zero, and an empty AnyValue as an empty message', () => {
    const trace = oneSpanTrace({
      attributes: [
        { key: 'b', value: { boolValue: false } },
        { key: 's', value: { stringValue: '' } },
        { key: 'x', value: { bytesValue: new Uint8Array(0) } },
        { key: 'e', value: {} },
        { key: 'a', value: { arrayValue: {} } },
      ],
    })
    const text = hex(encodeTrace(trace))
    expect(text).toContain('4a07' + '0a0162' + '1202' + '1000')
    expect(text).toContain('4a07' + '0a0173' + '1202' + '0a00')
    expect(text).toContain('4a07' + '0a0178' + '1202' + '3a00')
    expect(text).toContain('4a05' + '0a0165' + '1200')
    expect(text).toContain('4a07' + '0a0161' + '1202' + '2a00')
  })

  it('measures UTF-8 like TextEncoder, including surrogate pairs and lone surrogates', () => {
    for (const text of ['ascii', 'ünïcødé', '日本語', '😀 emoji', 'lone \ud800 high', 'lone \udc00 low', 'end \ud83d', 'x'.repeat(300)]) {
      const trace = oneSpanTrace({ name: text })
      const bytes = encodeTrace(trace)
      expect(traceProtoSize(trace)).toBe(bytes.length)
      const decoded = decodeTrace(bytes).resourceSpans![0]!.scopeSpans![0]!.spans![0]!.name
      expect(decoded).toBe(new TextDecoder().decode(new TextEncoder().encode(text)))
    }
  })

  it('round-trips extreme scalars', () => {
    const values = [
      { intValue: -(2n ** 63n) },
      { intValue: 2n ** 63n - 1n },
      { doubleValue: NaN },
      { doubleValue: -0 },
      { doubleValue: Infinity },
      { doubleValue: 5e-324 },
    ]
    const trace = oneSpanTrace({
      startTimeUnixNano: 2n ** 64n - 1n,
      endTimeUnixNano: 1n,
      attributes: values.map((value, i) => ({ key: `k${i}`, value })),
      status: { code: 2, message: 'boom' },
      droppedAttributesCount: 4_000_000_000,
    })
    const decoded = decodeTrace(encodeTrace(trace))
    expect(decoded).toEqual(trace)
    const attributes = decoded.resourceSpans![0]!.scopeSpans![0]!.spans![0]!.attributes!
    expect(Object.is((attributes[3]!.value as { doubleValue: number }).doubleValue, -0)).toBe(true)
  })

  it('rejects truncated input with a typed error', () => {
    const bytes = encodeTrace(oneSpanTrace({ name: 'abc' }))
    expect(() => decodeTrace(bytes.subarray(0, bytes.length - 1))).toThrow(ProtobufDecodeError)
    expect(() => decodeTrace(fromHex('0a'))).toThrow(/protobuf: truncated/)
  })

  it('rejects absurdly nested attribute values with a typed error instead of a stack overflow', () => {
    let value: AnyValue = { intValue: 1n }
    for (let i = 0; i < 150; i++) value = { arrayValue: { values: [value] } }
    const bytes = encodeTrace(oneSpanTrace({ attributes: [{ key: 'deep', value }] }))
    expect(() => decodeTrace(bytes)).toThrow(/nested deeper than 100/)
    let ok: AnyValue = { intValue: 1n }
    for (let i = 0; i < 90; i++) ok = { kvlistValue: { values: [{ key: 'k', value: ok }] } }
    const fine = oneSpanTrace({ attributes: [{ key: 'deep', value: ok }] })
    expect(decodeTrace(encodeTrace(fine))).toEqual(fine)
  })

  it('skips unknown fields', () => {
    // field 15 varint 1, then an empty ResourceSpans
    expect(decodeTrace(fromHex('7801 0a00'))).toEqual({ resourceSpans: [{ resource: {} }] })
  })
})

describe('encodeTraceByIdResponse', () => {
  it('answers not-found with an empty trace and empty metrics, like Tempo v2', () => {
    expect(hex(encodeTraceByIdResponse({ trace: undefined }))).toBe('0a00' + '1200')
  })

  it('writes trace, metrics.inspectedBytes, PARTIAL status and message', () => {
    const trace = oneSpanTrace({ name: 'a' })
    const message = 'Trace exceeds maximum size of 100 bytes, a partial trace is returned'
    const bytes = encodeTraceByIdResponse({ trace, partial: true, message, inspectedBytes: 300n })
    const traceBytes = encodeTrace(trace)
    const expected =
      '0a' + traceBytes.length.toString(16).padStart(2, '0') + hex(traceBytes) + '1203' + '08ac02' + '1801' + '22' + message.length.toString(16) + Buffer.from(message).toString('hex')
    expect(hex(bytes)).toBe(expected)
    expect(decodeTraceByIdResponse(bytes)).toEqual({ trace, partial: true, message, inspectedBytes: 300n })
  })
})

