import type { AnyValue, KeyValue } from '../otlp/model.js'
import { anyValueFromJsonText } from '../otlp/json-values.js'
import { decodeAnyValue, ProtobufDecodeError } from '../otlp/protobuf-decode.js'
import { bool, bytes, list, optBig, optStr, str, type Row } from './row-values.js'

/**
 * Generic attribute decoding (spec §6.4): one parquet attribute group -> one OTLP KeyValue, or
 * undefined when Tempo drops it.
 */

/** Decodes one attribute group; `undefined` = Tempo emits nothing for it. */
export type AttributeDecoder = (attr: Row) => KeyValue | undefined

/**
 * vParquet2/3: the first non-null of Value, ValueInt, ValueDouble, ValueBool, then the non-empty
 * JSON text of ValueArray, then ValueKVList; else an empty value (how bytes values read back).
 */
export const decodeLegacyAttribute: AttributeDecoder = (attr) => {
  return { key: str(attr, 'Key'), value: legacyValue(attr) }
}

function legacyValue(attr: Row): AnyValue {
  const s = optStr(attr, 'Value')
  if (s !== undefined) return { stringValue: s }
  const i = optBig(attr, 'ValueInt')
  if (i !== undefined) return { intValue: i }
  const d = attr.ValueDouble
  if (typeof d === 'number') return { doubleValue: d }
  const b = attr.ValueBool
  if (typeof b === 'boolean') return { boolValue: b }
  const arr = str(attr, 'ValueArray')
  if (arr !== '') return anyValueFromJsonText(arr)
  const kvl = str(attr, 'ValueKVList')
  if (kvl !== '') return anyValueFromJsonText(kvl)
  return {}
}

/** vParquet2/3 event attribute: `Value` holds a protobuf AnyValue (older rows: JSON text). */
export const decodeLegacyEventAttribute: AttributeDecoder = (attr) => {
  const raw = bytes(attr, 'Value')
  let value: AnyValue
  try {
    value = decodeAnyValue(raw)
  } catch (e) {
    if (!(e instanceof ProtobufDecodeError)) throw e
    value = anyValueFromJsonText(new TextDecoder().decode(raw))
  }
  return { key: str(attr, 'Key'), value }
}

/**
 * vParquet4/5 (`IsArray`, typed lists, `ValueUnsupported`). With nothing set vParquet4 emits the key
 * with an empty value while vParquet5 drops it (`emptyAsValue`).
 */
export function modernAttributeDecoder(emptyAsValue: boolean): AttributeDecoder {
  return (attr) => {
    const key = str(attr, 'Key')
    const strings = list(attr, 'Value')
    const ints = list(attr, 'ValueInt')
    const doubles = list(attr, 'ValueDouble')
    const bools = list(attr, 'ValueBool')
    if (bool(attr, 'IsArray')) {
      const values: AnyValue[] =
        strings.length > 0
          ? strings.map((v) => ({ stringValue: asText(v) }))
          : ints.length > 0
            ? ints.map((v) => ({ intValue: BigInt(v as bigint) }))
            : doubles.length > 0
              ? doubles.map((v) => ({ doubleValue: Number(v) }))
              : bools.map((v) => ({ boolValue: v === true }))
      return { key, value: { arrayValue: values.length > 0 ? { values } : {} } }
    }
    if (strings.length > 0) return { key, value: { stringValue: asText(strings[0]) } }
    if (ints.length > 0) return { key, value: { intValue: BigInt(ints[0] as bigint) } }
    if (doubles.length > 0) return { key, value: { doubleValue: Number(doubles[0]) } }
    if (bools.length > 0) return { key, value: { boolValue: bools[0] === true } }
    const unsupported = optStr(attr, 'ValueUnsupported')
    if (unsupported !== undefined) return { key, value: anyValueFromJsonText(unsupported) }
    return emptyAsValue ? { key, value: {} } : undefined
  }
}

function asText(v: unknown): string {
  if (typeof v === 'string') return v
  if (v instanceof Uint8Array) return new TextDecoder().decode(v)
  return ''
}

/** Decode a list of attribute groups, dropping the ones the decoder rejects. */
export function decodeAttributes(attrs: Row[], decode: AttributeDecoder): KeyValue[] {
  const out: KeyValue[] = []
  for (const a of attrs) {
    const kv = decode(a)
    if (kv) out.push(kv)
  }
  return out
}
