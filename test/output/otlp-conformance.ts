import { expect } from 'vitest'
import { OTLP_JSON, traceToJson } from '../../functions/core/otlp/json.js'
import type { Trace } from '../../functions/core/otlp/model.js'
import { canonical, ExportTraceServiceRequest } from '../support/otlp-reference.js'

const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId'])
const ENUM_FIELDS = new Set(['kind', 'code'])

/**
 * Read one OTLP/JSON `ExportTraceServiceRequest` with the reference decoder, checking on the way what
 * the OTLP specification asks of the JSON encoding: trace and span IDs as lowercase hex (16 and 8
 * bytes), enums as integers, and only fields the message defines (the reference decoder would drop
 * others silently, so key paths are compared before and after its round trip).
 */
export function readOtlpJson(text: string): Record<string, unknown> {
  const value = JSON.parse(text) as object
  const asProto3 = mapIds(value, (key, hex) => {
    expect(hex, key).toMatch(key === 'traceId' ? /^[0-9a-f]{32}$/ : /^[0-9a-f]{16}$/)
    return Buffer.from(hex, 'hex').toString('base64')
  })
  const decoded = canonical(ExportTraceServiceRequest, ExportTraceServiceRequest.fromObject(asProto3 as object))
  expect(keyPaths(decoded)).toEqual(keyPaths(asProto3))
  return decoded
}

/** Our OTLP/JSON of `trace`, decoded by the reference decoder. */
export function otlpJsonOf(trace: Trace): Record<string, unknown> {
  return readOtlpJson(traceToJson(trace, OTLP_JSON))
}

// OTLP/JSON differs from proto3 JSON only in ID fields (hex) and enums (integers, which proto3 JSON also accepts).
function mapIds(value: unknown, onId: (key: string, hex: string) => string, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => mapIds(v, onId, key))
  if (value === null || typeof value !== 'object') {
    if (ENUM_FIELDS.has(key)) expect(typeof value, key).toBe('number')
    return ID_FIELDS.has(key) && typeof value === 'string' ? onId(key, value) : value
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapIds(v, onId, k)]))
}

function keyPaths(value: unknown, path = '', out = new Set<string>()): string[] {
  if (Array.isArray(value)) value.forEach((v) => keyPaths(v, `${path}[]`, out))
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.add(`${path}.${k}`)
      keyPaths(v, `${path}.${k}`, out)
    }
  return [...out].sort()
}
