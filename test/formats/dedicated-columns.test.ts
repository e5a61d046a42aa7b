import { describe, expect, it } from 'vitest'
import type { DedicatedColumn } from '../../functions/core/blocks/block-meta.js'
import { mapDedicatedColumns, readDedicated } from '../../functions/core/formats/dedicated-columns.js'

/** Dedicated-column slot numbering (spec §5.7) and read-back (§6.5). */

const col = (name: string, scope: DedicatedColumn['scope'] = 'span', type: DedicatedColumn['type'] = 'string', options: string[] = []): DedicatedColumn => ({ name, scope, type, options })

const columns = [
  col('k8s.cluster.name', 'resource'),
  col('http.request.method'),
  col('http.response.status_code', 'span', 'int'),
  col('url.path'),
  col('app.tags', 'span', 'string', ['array']),
  col('db.statement', 'span', 'string', ['blob']),
  col('exception.type', 'event'),
  col('app.attempt', 'event', 'int'),
  col('host.name', 'resource'),
]

describe('mapDedicatedColumns', () => {
  it('vParquet3/4: string entries without options of resource/span scope, numbered per scope', () => {
    const m = mapDedicatedColumns(columns, 'v3')
    expect(m.resource.map((s) => `${s.name}=${s.column}`)).toEqual(['k8s.cluster.name=String01', 'host.name=String02'])
    expect(m.span.map((s) => `${s.name}=${s.column}`)).toEqual(['http.request.method=String01', 'url.path=String02'])
    expect(m.event).toEqual([])
  })

  it('vParquet5: everything, numbered per scope and type, strings and ints interleaved in meta order', () => {
    const m = mapDedicatedColumns(columns, 'v5')
    expect(m.span.map((s) => `${s.name}=${s.column}`)).toEqual([
      'http.request.method=String01',
      'http.response.status_code=Int01',
      'url.path=String02',
      'app.tags=String03',
      'db.statement=String04',
    ])
    expect(m.event.map((s) => `${s.name}=${s.column}`)).toEqual(['exception.type=String01', 'app.attempt=Int01'])
  })

  it('skips entries beyond the spare columns', () => {
    const many = Array.from({ length: 12 }, (_, i) => col(`a${i}`))
    expect(mapDedicatedColumns(many, 'v3').span.map((s) => s.column).at(-1)).toBe('String10')
    const ints = Array.from({ length: 7 }, (_, i) => col(`i${i}`, 'span', 'int'))
    expect(mapDedicatedColumns(ints, 'v5').span.map((s) => s.column)).toEqual(['Int01', 'Int02', 'Int03', 'Int04', 'Int05'])
  })
})

describe('readDedicated', () => {
  const slots = mapDedicatedColumns(columns, 'v5').span

  it('vParquet5: none => absent, one => scalar, several => array', () => {
    const group = { String01: ['GET'], Int01: [200n, 201n], String02: [], String03: ['a', 'b'], String04: [] }
    expect(readDedicated(group, slots)).toEqual([
      { key: 'http.request.method', value: { stringValue: 'GET' } },
      { key: 'http.response.status_code', value: { arrayValue: { values: [{ intValue: 200n }, { intValue: 201n }] } } },
      { key: 'app.tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } } },
    ])
  })

  it('optional columns (vParquet3/4, early vParquet5 previews): non-null => scalar, also the empty string', () => {
    const v3 = mapDedicatedColumns(columns, 'v3').span
    expect(readDedicated({ String01: '', String02: null }, v3)).toEqual([{ key: 'http.request.method', value: { stringValue: '' } }])
    expect(readDedicated({}, v3)).toEqual([])
  })
})
