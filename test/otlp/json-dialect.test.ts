import { describe, expect, it } from 'vitest'
import { anyValueToJson, traceByIdV2Json, traceToJson, traceV1Json } from '../../functions/core/otlp/json.js'
import { goJsonDouble, goJsonString } from '../../functions/core/otlp/json-scalars.js'
import type { AnyValue, Span, Trace } from '../../functions/core/otlp/model.js'

/** Tempo's JSON dialect (gogo jsonpb over Go encoding/json), spec §7.5. */

const id8 = new Uint8Array([0x73, 0x6f, 0xe2, 0x8c, 0x53, 0x05, 0x1b, 0xbf])
const id16 = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0x47, 0x4b, 0xe8, 0xb4, 0x34, 0x49, 0xfb])

function span(extra: Partial<Span> = {}): Span {
  return { traceId: id16, spanId: id8, startTimeUnixNano: 1n, endTimeUnixNano: 2n, status: {}, ...extra }
}

function oneSpanTrace(s: Span): Trace {
  return { resourceSpans: [{ resource: {}, scopeSpans: [{ scope: {}, spans: [s] }] }] }
}

describe('doubles', () => {
  it.each([
    [-0, '-0'],
    [0, '0'],
    [5e-324, '5e-324'],
    [1e100, '1e+100'],
    [1e21, '1e+21'],
    [1e20, '100000000000000000000'],
    [1e-7, '1e-7'],
    [0.000001, '0.000001'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [-1.602176634e-19, '-1.602176634e-19'],
    [6.02214076e23, '6.02214076e+23'],
    [0.1, '0.1'],
    [42, '42'],
    [NaN, '"NaN"'],
    [Infinity, '"Infinity"'],
    [-Infinity, '"-Infinity"'],
  ])('%s -> %s', (n, want) => {
    expect(goJsonDouble(n)).toBe(want)
    expect(anyValueToJson({ doubleValue: n })).toBe(`{"doubleValue":${want}}`)
  })
})

describe('strings', () => {
  it('escapes like Go encoding/json (HTML-safe)', () => {
    expect(goJsonString('<script>alert("x & y")</script>')).toBe('"\\u003cscript\\u003ealert(\\"x \\u0026 y\\")\\u003c/script\\u003e"')
    expect(goJsonString('line1\nline2\ttab\\backslash\u0001ctl\r')).toBe('"line1\\nline2\\ttab\\\\backslash\\u0001ctl\\r"')
    expect(goJsonString('\b\f\u001f\u007f')).toBe('"\\b\\f\\u001f\u007f"')
    expect(goJsonString('a\u2028b\u2029c')).toBe('"a\\u2028b\\u2029c"')
    expect(goJsonString('héllo 日本語 🚀')).toBe('"héllo 日本語 🚀"')
  })

  it('replaces lone surrogates with U+FFFD, as Go does for invalid UTF-8', () => {
    expect(goJsonString('a\ud800b')).toBe('"a\ufffdb"')
    expect(goJsonString('x\udc00')).toBe('"x\ufffd"')
  })
})

describe('AnyValue', () => {
  it.each<[AnyValue, string]>([
    [{ stringValue: '' }, '{"stringValue":""}'],
    [{ intValue: 0n }, '{"intValue":"0"}'],
    [{ intValue: -9223372036854775808n }, '{"intValue":"-9223372036854775808"}'],
    [{ boolValue: false }, '{"boolValue":false}'],
    [{ bytesValue: new Uint8Array(0) }, '{"bytesValue":""}'],
    [{ bytesValue: new Uint8Array([0, 1]) }, '{"bytesValue":"AAE="}'],
    [{ arrayValue: {} }, '{"arrayValue":{}}'],
    [{ arrayValue: { values: [] } }, '{"arrayValue":{}}'],
    [{ kvlistValue: {} }, '{"kvlistValue":{}}'],
    [{ arrayValue: { values: [{ stringValue: 'a' }, { intValue: 1n }, { arrayValue: { values: [{ boolValue: true }] } }] } }, '{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":"1"},{"arrayValue":{"values":[{"boolValue":true}]}}]}}'],
    [{ kvlistValue: { values: [{ key: 'k', value: {} }] } }, '{"kvlistValue":{"values":[{"key":"k","value":{}}]}}'],
    [{}, '{}'],
  ])('case %#', (v, want) => expect(anyValueToJson(v)).toBe(want))
})

describe('trace objects', () => {
  it('writes keys in proto order, omits zeros and empty lists, keeps status/scope/resource objects', () => {
    const s = span({
      traceState: 'a=b',
      parentSpanId: new Uint8Array(0),
      name: 'n',
      kind: 2,
      attributes: [],
      events: [{ timeUnixNano: 5n, name: 'e', attributes: [{ key: 'k', value: { intValue: 7n } }] }],
      links: [{ traceId: id16, spanId: id8, droppedAttributesCount: 1 }],
      droppedLinksCount: 3,
      status: { code: 2, message: 'm' },
    })
    expect(traceToJson(oneSpanTrace(s))).toBe(
      '{"resourceSpans":[{"resource":{},"scopeSpans":[{"scope":{},"spans":[{"traceId":"AAAAAAAAAAAAR0votDRJ+w==","spanId":"c2/ijFMFG78=",' +
        '"traceState":"a=b","name":"n","kind":"SPAN_KIND_SERVER","startTimeUnixNano":"1","endTimeUnixNano":"2",' +
        '"events":[{"timeUnixNano":"5","name":"e","attributes":[{"key":"k","value":{"intValue":"7"}}]}],' +
        '"links":[{"traceId":"AAAAAAAAAAAAR0votDRJ+w==","spanId":"c2/ijFMFG78=","droppedAttributesCount":1}],"droppedLinksCount":3,' +
        '"status":{"message":"m","code":"STATUS_CODE_ERROR"}}]}]}]}',
    )
  })

  it('writes unknown enum numbers bare', () => {
    const json = traceToJson(oneSpanTrace(span({ kind: 9, status: { code: 5 } })))
    expect(json).toContain('"kind":9,')
    expect(json).toContain('"status":{"code":5}')
  })

  it('keeps a scope without spans and writes uint64 times above 2^63', () => {
    const trace: Trace = { resourceSpans: [{ resource: { droppedAttributesCount: 2 }, scopeSpans: [{ scope: { name: 's', version: 'v' } }, { scope: {}, spans: [span({ startTimeUnixNano: (1n << 64n) - 1n })] }] }] }
    const json = traceToJson(trace)
    expect(json.startsWith('{"resourceSpans":[{"resource":{"droppedAttributesCount":2},"scopeSpans":[{"scope":{"name":"s","version":"v"}},')).toBe(true)
    expect(json).toContain('"startTimeUnixNano":"18446744073709551615"')
  })

  it('writes an empty trace as {}', () => {
    expect(traceToJson({})).toBe('{}')
    expect(traceToJson({ resourceSpans: [] })).toBe('{}')
  })
})

describe('response envelopes', () => {
  const trace = oneSpanTrace(span())
  const traceJson = traceToJson(trace)

  it('v2 found / not found / partial', () => {
    expect(traceByIdV2Json(trace, { inspectedBytes: 1234n })).toBe(`{"trace":${traceJson},"metrics":{"inspectedBytes":"1234"}}`)
    expect(traceByIdV2Json(undefined, {})).toBe('{"trace":{},"metrics":{}}')
    expect(traceByIdV2Json(trace, { partial: true, message: 'Trace exceeds maximum size of 100000 bytes, a partial trace is returned', inspectedBytes: 5 })).toBe(
      `{"trace":${traceJson},"metrics":{"inspectedBytes":"5"},"status":"PARTIAL","message":"Trace exceeds maximum size of 100000 bytes, a partial trace is returned"}`,
    )
  })

  it('v1 renames resourceSpans to batches', () => {
    expect(traceV1Json(trace)).toBe(`{"batches":${traceJson.slice('{"resourceSpans":'.length)}`)
  })
})
