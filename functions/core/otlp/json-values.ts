import { TempoBatchError } from '../contract/errors.js'
import type { AnyValue, KeyValue } from './model.js'

/**
 * Proto3-JSON readers for OTLP values, shared by the vParquet2-5 JSON-stored attribute values
 * (`ValueArray`, `ValueKVList`, `ValueUnsupported`, vParquet2/3 JSON event values) and by
 * `traceFromJson`. Both camelCase and original proto field names are accepted, as jsonpb does.
 */

/** A JSON document does not have the shape of the OTLP message it should hold. */
export class TraceJsonError extends TempoBatchError {
  constructor(where: string, problem: string) {
    super(`otlp json: ${where}: ${problem}`)
  }
}

/** The JSON value as an object, or an error naming `where`. */
export function asObject(v: unknown, where: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new TraceJsonError(where, 'expected an object')
  return v as Record<string, unknown>
}

/** A repeated field: absent/null => empty. */
export function asArray(v: unknown, where: string): unknown[] {
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) throw new TraceJsonError(where, 'expected an array')
  return v
}

/** Reject members the message does not define (jsonpb's default). */
export function checkKeys(o: Record<string, unknown>, allowed: ReadonlySet<string>, where: string): void {
  for (const k of Object.keys(o)) if (!allowed.has(k)) throw new TraceJsonError(where, `unknown field ${JSON.stringify(k)}`)
}

/** A proto3-JSON string field (absent/null => ''). */
export function jsonString(v: unknown, where: string): string {
  if (v === undefined || v === null) return ''
  if (typeof v !== 'string') throw new TraceJsonError(where, 'expected a string')
  return v
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/

/** Proto3-JSON bytes: standard or URL-safe base64, padding optional. */
export function jsonBytes(v: unknown, where: string): Uint8Array {
  if (v === undefined || v === null) return new Uint8Array(0)
  if (typeof v !== 'string' || !BASE64.test(v)) throw new TraceJsonError(where, 'expected base64')
  return new Uint8Array(Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64'))
}

const INT = /^-?\d+$/
const INT64_MIN = -(1n << 63n)
const UINT64_MAX = (1n << 64n) - 1n

/** A proto3-JSON 64-bit integer (quoted decimal or a JSON integer). */
export function jsonInt64(v: unknown, where: string, unsigned = false): bigint {
  if (v === undefined || v === null) return 0n
  let n: bigint
  if (typeof v === 'string' && INT.test(v)) n = BigInt(v)
  else if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v)
  else throw new TraceJsonError(where, 'expected a 64-bit integer')
  const [min, max] = unsigned ? [0n, UINT64_MAX] : [INT64_MIN, (1n << 63n) - 1n]
  if (n < min || n > max) throw new TraceJsonError(where, 'integer out of range')
  return n
}

/** A proto3-JSON uint32 (JSON number or quoted). */
export function jsonUint32(v: unknown, where: string): number {
  if (v === undefined || v === null) return 0
  const n = typeof v === 'string' && INT.test(v) ? Number(v) : v
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new TraceJsonError(where, 'expected a uint32')
  return n
}

/** A proto3-JSON double: a number or "NaN" / "Infinity" / "-Infinity" / a numeric string. */
export function jsonDouble(v: unknown, where: string): number {
  if (typeof v === 'number') return v
  if (v === 'NaN') return NaN
  if (v === 'Infinity') return Infinity
  if (v === '-Infinity') return -Infinity
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v)
  throw new TraceJsonError(where, 'expected a double')
}

/** An enum given by name or number. */
export function jsonEnum(v: unknown, names: readonly string[], where: string): number {
  if (v === undefined || v === null) return 0
  if (typeof v === 'number' && Number.isInteger(v)) return v
  if (typeof v === 'string') {
    const i = names.indexOf(v)
    if (i >= 0) return i
  }
  throw new TraceJsonError(where, `unknown enum value ${JSON.stringify(v)}`)
}

const ANY_VALUE_FIELDS: Record<string, string> = {
  stringValue: 'stringValue',
  string_value: 'stringValue',
  boolValue: 'boolValue',
  bool_value: 'boolValue',
  intValue: 'intValue',
  int_value: 'intValue',
  doubleValue: 'doubleValue',
  double_value: 'doubleValue',
  arrayValue: 'arrayValue',
  array_value: 'arrayValue',
  kvlistValue: 'kvlistValue',
  kvlist_value: 'kvlistValue',
  bytesValue: 'bytesValue',
  bytes_value: 'bytesValue',
}

/** An OTLP AnyValue from its proto3-JSON form; `{}` is a value with nothing set. Throws `TraceJsonError`. */
export function anyValueFromJson(v: unknown, where = 'value'): AnyValue {
  const o = asObject(v, where)
  let out: AnyValue = {}
  let seen: string | undefined
  for (const [k, raw] of Object.entries(o)) {
    const field = ANY_VALUE_FIELDS[k]
    if (field === undefined) throw new TraceJsonError(where, `unknown field ${JSON.stringify(k)}`)
    if (raw === null) continue
    if (seen !== undefined) throw new TraceJsonError(where, `oneof set twice (${seen}, ${field})`)
    seen = field
    const at = `${where}.${field}`
    switch (field) {
      case 'stringValue':
        out = { stringValue: jsonString(raw, at) }
        break
      case 'boolValue':
        if (typeof raw !== 'boolean') throw new TraceJsonError(at, 'expected a boolean')
        out = { boolValue: raw }
        break
      case 'intValue':
        out = { intValue: jsonInt64(raw, at) }
        break
      case 'doubleValue':
        out = { doubleValue: jsonDouble(raw, at) }
        break
      case 'arrayValue': {
        const values = asArray(valuesOf(raw, at), at).map((e, i) => anyValueFromJson(e, `${at}[${i}]`))
        out = { arrayValue: values.length > 0 ? { values } : {} }
        break
      }
      case 'kvlistValue': {
        const values = asArray(valuesOf(raw, at), at).map((e, i) => keyValueFromJson(e, `${at}[${i}]`))
        out = { kvlistValue: values.length > 0 ? { values } : {} }
        break
      }
      default:
        out = { bytesValue: jsonBytes(raw, at) }
    }
  }
  return out
}

const VALUES_FIELDS = new Set(['values'])
const KEY_VALUE_FIELDS = new Set(['key', 'value'])

function valuesOf(raw: unknown, where: string): unknown {
  const o = asObject(raw, where)
  checkKeys(o, VALUES_FIELDS, where)
  return o.values
}

/** An OTLP KeyValue from proto3-JSON (a missing value reads as `{}`). */
export function keyValueFromJson(v: unknown, where = 'attribute'): KeyValue {
  const o = asObject(v, where)
  checkKeys(o, KEY_VALUE_FIELDS, where)
  const value = o.value === undefined || o.value === null ? {} : anyValueFromJson(o.value, `${where}.value`)
  return { key: jsonString(o.key, `${where}.key`), value }
}

/** A list of KeyValues (absent => undefined, so the model stays free of empty arrays). */
export function keyValuesFromJson(v: unknown, where: string): KeyValue[] | undefined {
  const items = asArray(v, where).map((e, i) => keyValueFromJson(e, `${where}[${i}]`))
  return items.length > 0 ? items : undefined
}

/** Parse a JSON-encoded AnyValue the way Tempo's readers do: any error yields an empty value. */
export function anyValueFromJsonText(text: string): AnyValue {
  try {
    return anyValueFromJson(JSON.parse(text))
  } catch {
    return {}
  }
}
