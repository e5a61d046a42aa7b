import type { AnyValue, KeyValue } from '../../core/otlp/model.js'

/**
 * protobuf-JSON of an OTLP `AnyValue` as Go's jsonpb writes it into `ValueUnsupported`: int64 as
 * quoted decimal, bytes as standard base64, non-finite doubles as strings, empty lists omitted, and
 * `<`, `>`, `&` escaped as Go's encoder does.
 */
export function anyValueToJson(value: AnyValue): string {
  return goEscape(valueJson(value))
}

function valueJson(v: AnyValue): string {
  if ('stringValue' in v) return `{"stringValue":${JSON.stringify(v.stringValue)}}`
  if ('boolValue' in v) return `{"boolValue":${v.boolValue}}`
  if ('intValue' in v) return `{"intValue":"${BigInt.asIntN(64, v.intValue).toString()}"}`
  if ('doubleValue' in v) return `{"doubleValue":${doubleJson(v.doubleValue)}}`
  if ('bytesValue' in v) return `{"bytesValue":"${Buffer.from(v.bytesValue).toString('base64')}"}`
  if ('arrayValue' in v) {
    const values = v.arrayValue.values ?? []
    return values.length === 0 ? '{"arrayValue":{}}' : `{"arrayValue":{"values":[${values.map(valueJson).join(',')}]}}`
  }
  if ('kvlistValue' in v) {
    const values = v.kvlistValue.values ?? []
    return values.length === 0 ? '{"kvlistValue":{}}' : `{"kvlistValue":{"values":[${values.map(keyValueJson).join(',')}]}}`
  }
  return '{}'
}

function keyValueJson(kv: KeyValue): string {
  return `{"key":${JSON.stringify(kv.key)},"value":${valueJson(kv.value)}}`
}

function doubleJson(d: number): string {
  if (Number.isNaN(d)) return '"NaN"'
  if (d === Infinity) return '"Infinity"'
  if (d === -Infinity) return '"-Infinity"'
  if (Object.is(d, -0)) return '-0'
  return JSON.stringify(d)
}

function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
