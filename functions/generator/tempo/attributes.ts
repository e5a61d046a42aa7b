import type { AnyValue, KeyValue } from '../../core/otlp/model.js'
import { anyValueToJson } from './any-value-json.js'

/**
 * Tempo's generic attribute row (vParquet4/5, spec §5.2): scalars as one-element typed lists,
 * homogeneous arrays with `IsArray`, everything else (kvlist, bytes, mixed or nested arrays, an empty
 * AnyValue) as JSON in `ValueUnsupported`.
 */

/** One attribute row as the vP4/vP5 schemas expect it. */
export interface AttrRow {
  Key: string
  IsArray: boolean
  Value: string[]
  ValueInt: bigint[]
  ValueDouble: number[]
  ValueBool: boolean[]
  ValueUnsupported: string | null
}

// Rows are only read by the shredder, so unused lists can share one empty array.
const NONE: never[] = []

/** Encode one attribute. */
export function attrRow(kv: KeyValue): AttrRow {
  const row: AttrRow = { Key: kv.key, IsArray: false, Value: NONE, ValueInt: NONE, ValueDouble: NONE, ValueBool: NONE, ValueUnsupported: null }
  const v = kv.value
  if ('stringValue' in v) row.Value = [v.stringValue]
  else if ('intValue' in v) row.ValueInt = [BigInt.asIntN(64, v.intValue)]
  else if ('doubleValue' in v) row.ValueDouble = [v.doubleValue]
  else if ('boolValue' in v) row.ValueBool = [v.boolValue]
  else if ('arrayValue' in v && homogeneous(v.arrayValue.values ?? [])) {
    row.IsArray = true
    row.Value = []
    row.ValueInt = []
    row.ValueDouble = []
    row.ValueBool = []
    for (const e of v.arrayValue.values ?? []) {
      if ('stringValue' in e) row.Value.push(e.stringValue)
      else if ('intValue' in e) row.ValueInt.push(BigInt.asIntN(64, e.intValue))
      else if ('doubleValue' in e) row.ValueDouble.push(e.doubleValue)
      else if ('boolValue' in e) row.ValueBool.push(e.boolValue)
    }
  } else row.ValueUnsupported = anyValueToJson(v)
  return row
}

/** Encode a list of attributes. */
export function attrRows(attributes: KeyValue[] | undefined): AttrRow[] {
  return attributes && attributes.length > 0 ? attributes.map(attrRow) : NONE
}

/** The scalar kind of a value, or undefined for anything a typed list cannot hold. */
export function scalarKind(v: AnyValue): 'string' | 'int' | 'double' | 'bool' | undefined {
  if ('stringValue' in v) return 'string'
  if ('intValue' in v) return 'int'
  if ('doubleValue' in v) return 'double'
  if ('boolValue' in v) return 'bool'
  return undefined
}

function homogeneous(values: AnyValue[]): boolean {
  if (values.length === 0) return true
  const kind = scalarKind(values[0]!)
  if (!kind) return false
  for (const e of values) if (scalarKind(e) !== kind) return false
  return true
}
