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
  const problems: string[] = []
  const asProto3 = mapIds(value, problems)
  const decoded = canonical(ExportTraceServiceRequest, ExportTraceServiceRequest.fromObject(asProto3 as object))
  const kept = new Set(keyPaths(decoded))
  const dropped = keyPaths(asProto3).filter((path) => !kept.has(path))
  // One assertion per message (not per field): thousands of expect() calls are slow on a busy machine.
  if (problems.length > 0 || dropped.length > 0) expect({ problems, dropped }).toEqual({ problems: [], dropped: [] })
  return decoded
}

/** Our OTLP/JSON of `trace`, decoded by the reference decoder. */
export function otlpJsonOf(trace: Trace): Record<string, unknown> {
  return readOtlpJson(traceToJson(trace, OTLP_JSON))
}

// OTLP/JSON differs from proto3 JSON only in ID fields (hex) and enums (integers, which proto3 JSON also accepts).
function mapIds(value: unknown, problems: string[], key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => mapIds(v, problems, key))
  if (value === null || typeof value !== 'object') {
    if (ENUM_FIELDS.has(key) && typeof value !== 'number') problems.push(`${key}: ${JSON.stringify(value)} is not an integer enum`)
    if (!ID_FIELDS.has(key)) return value
    if (typeof value !== 'string' || !(key === 'traceId' ? /^[0-9a-f]{32}$/ : /^[0-9a-f]{16}$/).test(value)) problems.push(`${key}: ${JSON.stringify(value)} is not lowercase hex of the right length`)
    return Buffer.from(String(value), 'hex').toString('base64')
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapIds(v, problems, k)]))
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
