import { describe, expect, it } from 'vitest'
import { decodeLegacyAttribute, decodeLegacyEventAttribute, modernAttributeDecoder } from '../../functions/core/formats/attributes.js'

/** Generic attribute decoding, spec §6.4, on hand-made rows shaped like hyparquet's output. */

const vp4 = modernAttributeDecoder(true)
const vp5 = modernAttributeDecoder(false)

function modern(fields: Record<string, unknown>): Record<string, unknown> {
  return { Key: 'k', IsArray: false, Value: [], ValueInt: [], ValueDouble: [], ValueBool: [], ValueUnsupported: null, ...fields }
}

describe('vParquet4/5 attributes', () => {
  it('reads scalars from one-element lists, in the order string, int, double, bool', () => {
    expect(vp4(modern({ Value: ['s'], ValueInt: [1n] }))).toEqual({ key: 'k', value: { stringValue: 's' } })
    expect(vp4(modern({ ValueInt: [-5n] }))).toEqual({ key: 'k', value: { intValue: -5n } })
    expect(vp4(modern({ ValueDouble: [-0] }))?.value).toEqual({ doubleValue: -0 })
    expect(vp4(modern({ ValueBool: [false] }))).toEqual({ key: 'k', value: { boolValue: false } })
  })

  it('reads arrays, and an empty array as arrayValue without values', () => {
    expect(vp5(modern({ IsArray: true, ValueInt: [1n, 2n] }))?.value).toEqual({ arrayValue: { values: [{ intValue: 1n }, { intValue: 2n }] } })
    expect(vp5(modern({ IsArray: true, Value: ['single'] }))?.value).toEqual({ arrayValue: { values: [{ stringValue: 'single' }] } })
    expect(vp4(modern({ IsArray: true }))?.value).toEqual({ arrayValue: {} })
  })

  it('parses ValueUnsupported JSON; a parse error yields an empty value', () => {
    expect(vp4(modern({ ValueUnsupported: '{"bytesValue":"AAE="}' }))?.value).toEqual({ bytesValue: new Uint8Array([0, 1]) })
    expect(vp4(modern({ ValueUnsupported: '{"kvlistValue":{}}' }))?.value).toEqual({ kvlistValue: {} })
    expect(vp4(modern({ ValueUnsupported: '{}' }))?.value).toEqual({})
    expect(vp4(modern({ ValueUnsupported: 'not json' }))?.value).toEqual({})
    expect(vp4(modern({ ValueUnsupported: '{"stringValue":1}' }))?.value).toEqual({})
  })

  it('with nothing set: vParquet4 emits an empty value, vParquet5 drops the attribute', () => {
    expect(vp4(modern({}))).toEqual({ key: 'k', value: {} })
    expect(vp5(modern({}))).toBeUndefined()
  })

  it('reads the pre-release test-block layout (ValueType/ValueDropped) by name', () => {
    expect(vp4({ Key: 'host.name', ValueType: 1, Value: ['h'], ValueInt: [], ValueDouble: [], ValueBool: [], ValueDropped: null })).toEqual({ key: 'host.name', value: { stringValue: 'h' } })
  })
})

describe('vParquet2/3 attributes', () => {
  const legacy = (fields: Record<string, unknown>) =>
    decodeLegacyAttribute({ Key: 'k', Value: null, ValueInt: null, ValueDouble: null, ValueBool: null, ValueKVList: '', ValueArray: '', ...fields })

  it('takes the first non-null typed column', () => {
    expect(legacy({ Value: '' })?.value).toEqual({ stringValue: '' })
    expect(legacy({ ValueInt: 0n })?.value).toEqual({ intValue: 0n })
    expect(legacy({ ValueDouble: 0.5 })?.value).toEqual({ doubleValue: 0.5 })
    expect(legacy({ ValueBool: false })?.value).toEqual({ boolValue: false })
  })

  it('then non-empty ValueArray, then ValueKVList JSON; otherwise (bytes) an empty value', () => {
    expect(legacy({ ValueArray: '{"arrayValue":{}}' })?.value).toEqual({ arrayValue: {} })
    expect(legacy({ ValueKVList: '{"kvlistValue":{"values":[{"key":"a","value":{"intValue":"1"}}]}}' })?.value).toEqual({
      kvlistValue: { values: [{ key: 'a', value: { intValue: 1n } }] },
    })
    expect(legacy({})).toEqual({ key: 'k', value: {} })
    expect(legacy({ ValueKVList: null, ValueArray: null })).toEqual({ key: 'k', value: {} })
  })

  it('event attribute values are protobuf AnyValues, with a JSON fallback', () => {
    // AnyValue{string_value: "hi"} = field 1, wire type 2
    expect(decodeLegacyEventAttribute({ Key: 'e', Value: new Uint8Array([0x0a, 2, 0x68, 0x69]) })).toEqual({ key: 'e', value: { stringValue: 'hi' } })
    // AnyValue{int_value: -1} = field 3 varint, ten bytes
    expect(decodeLegacyEventAttribute({ Key: 'e', Value: new Uint8Array([0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) })?.value).toEqual({ intValue: -1n })
    expect(decodeLegacyEventAttribute({ Key: 'e', Value: new TextEncoder().encode('{"boolValue":true}') })?.value).toEqual({ boolValue: true })
    expect(decodeLegacyEventAttribute({ Key: 'e', Value: new Uint8Array(0) })?.value).toEqual({})
  })
})
