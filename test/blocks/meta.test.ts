import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatRfc3339Nano, parseBlockMeta, serializeBlockMeta } from '../../functions/core/blocks/meta.js'
import { goJsonString } from '../../functions/core/blocks/go-json.js'
import { GO_ZERO_TIME_NS, parseRfc3339Nano } from '../../functions/core/blocks/rfc3339.js'
import { CorruptBlockError } from '../../functions/core/contract/errors.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoBlocksDir, tempoGeneratedDir } from '../support/shared-fixtures.js'

/** Every file named meta.json / meta.compacted.json below `dir`. */
function metaFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...metaFiles(path))
    else if (entry.name === 'meta.json' || entry.name === 'meta.compacted.json') out.push(path)
  }
  return out
}

describe('rfc3339', () => {
  it('parses Go times to exact nanoseconds', () => {
    expect(parseRfc3339Nano('1970-01-01T00:00:00Z')).toBe(0n)
    expect(parseRfc3339Nano('2025-01-15T10:00:10.320267141Z')).toBe(1736935210320267141n)
    expect(parseRfc3339Nano('2021-08-18T11:42:35.8352083Z')).toBe(1629286955835208300n)
    expect(parseRfc3339Nano('0001-01-01T00:00:00Z')).toBe(GO_ZERO_TIME_NS)
    expect(parseRfc3339Nano('2021-01-01T01:30:00+01:30')).toBe(1609459200n * 1_000_000_000n)
    expect(parseRfc3339Nano('1969-12-31T23:59:59.5Z')).toBe(-500_000_000n)
    expect(parseRfc3339Nano('2024-02-29T00:00:00.1234567891Z')).toBe(1709164800123456789n)
  })

  it('rejects malformed times', () => {
    for (const bad of ['2021-02-29T00:00:00Z', '2021-01-01 00:00:00Z', '2021-01-01T24:00:00Z', '2021-01-01T00:00:00', 'yesterday', '2021-13-01T00:00:00Z']) {
      expect(() => parseRfc3339Nano(bad), bad).toThrow(RangeError)
    }
  })

  it('formats like Go RFC3339Nano (trailing zeros trimmed) and round-trips', () => {
    expect(formatRfc3339Nano(0n)).toBe('1970-01-01T00:00:00Z')
    expect(formatRfc3339Nano(GO_ZERO_TIME_NS)).toBe('0001-01-01T00:00:00Z')
    expect(formatRfc3339Nano(1736935210320267141n)).toBe('2025-01-15T10:00:10.320267141Z')
    expect(formatRfc3339Nano(1629286955835208300n)).toBe('2021-08-18T11:42:35.8352083Z')
    expect(formatRfc3339Nano(-500_000_000n)).toBe('1969-12-31T23:59:59.5Z')
    for (const ns of [1n, 999_999_999n, 253402300799999999999n, 951782400000000000n, -1n]) expect(parseRfc3339Nano(formatRfc3339Nano(ns))).toBe(ns)
  })
})

describe('go json strings', () => {
  it('escapes like encoding/json', () => {
    expect(goJsonString('a<b>&"\\\n\t\b\f\u0001\u2028é😀')).toBe('"a\\u003cb\\u003e\\u0026\\"\\\\\\n\\t\\b\\f\\u0001\\u2028é😀"')
    expect(goJsonString('x\ud800y')).toBe('"x\ufffdy"')
  })
})

describe('parseBlockMeta', () => {
  const base = { format: 'vParquet4', blockID: 'B27B0E53-66A0-4505-AFD6-434AE3CD4A10', tenantID: 't', startTime: '2022-07-04T11:11:09Z', endTime: '2022-07-04T11:11:35Z' }

  it('defaults missing fields the Go way and maps bloomShards 0/missing to 10', () => {
    const meta = parseBlockMeta(base)
    expect(meta).toEqual({
      format: 'vParquet4',
      blockId: 'b27b0e53-66a0-4505-afd6-434ae3cd4a10',
      tenantId: 't',
      startTimeUnixNano: 1656933069000000000n,
      endTimeUnixNano: 1656933095000000000n,
      totalObjects: 0,
      size: 0,
      compactionLevel: 0,
      totalRecords: 0,
      bloomShards: 10,
      footerSize: 0,
      dedicatedColumns: [],
      replicationFactor: 0,
    })
    expect(parseBlockMeta({ ...base, bloomShards: 0 }).bloomShards).toBe(10)
    expect(parseBlockMeta({ ...base, bloomShards: 3 }).bloomShards).toBe(3)
  })

  it('normalises dedicated columns and drops unknown scopes/types', () => {
    const meta = parseBlockMeta({
      ...base,
      dedicatedColumns: [{ s: 'resource', n: 'ip' }, { n: 'x', t: 'int' }, { n: 'y', o: ['array'] }, { s: 'link', n: 'z' }, { n: 'w', t: 'float' }],
    })
    expect(meta.dedicatedColumns).toEqual([
      { name: 'ip', scope: 'resource', type: 'string', options: [] },
      { name: 'x', scope: 'span', type: 'int', options: [] },
      { name: 'y', scope: 'span', type: 'string', options: ['array'] },
    ])
  })

  it('sets compactedTime from the JSON, else from lastModified, else Go zero time', () => {
    const lastModified = new Date('2025-01-15T12:00:00.123Z')
    expect(parseBlockMeta({ ...base, compactedTime: '2021-01-03T12:00:00Z' }).compactedTime).toEqual(new Date('2021-01-03T12:00:00Z'))
    expect(parseBlockMeta(base, { compacted: true, lastModified }).compactedTime).toEqual(lastModified)
    expect(parseBlockMeta(base, { compacted: true }).compactedTime).toEqual(new Date('0001-01-01T00:00:00Z'))
    expect(parseBlockMeta(base).compactedTime).toBeUndefined()
  })

  it('rejects invalid metas with a CorruptBlockError naming tenant and block', () => {
    const location = { tenant: 'ten', blockId: 'b27b0e53-66a0-4505-afd6-434ae3cd4a10' }
    expect(() => parseBlockMeta('x', { location })).toThrow(CorruptBlockError)
    expect(() => parseBlockMeta({ ...base, format: '' }, { location })).toThrow('block ten/b27b0e53-66a0-4505-afd6-434ae3cd4a10: meta: format is missing')
    expect(() => parseBlockMeta({ ...base, blockID: 'nope' })).toThrow(/blockID "nope" is not a UUID/)
    expect(() => parseBlockMeta({ ...base, totalObjects: -1 })).toThrow(/totalObjects/)
    expect(() => parseBlockMeta({ ...base, size: '12' })).toThrow(/size/)
    expect(() => parseBlockMeta({ ...base, startTime: 'now' })).toThrow(/startTime/)
    expect(() => parseBlockMeta({ ...base, dedicatedColumns: {} })).toThrow(/dedicatedColumns/)
  })
})

sharedFixturesSkipNote('block metas')
describe.skipIf(!hasSharedFixtures)('block metas of the fixtures', () => {
  it('parses every fixture meta', () => {
    const files = [...metaFiles(tempoBlocksDir), ...metaFiles(tempoGeneratedDir)]
    expect(files.length).toBeGreaterThanOrEqual(60)
    for (const file of files) {
      const json: unknown = JSON.parse(readFileSync(file, 'utf8'))
      const meta = parseBlockMeta(json, { compacted: file.endsWith('compacted.json'), lastModified: statSync(file).mtime })
      expect(meta.blockId, file).toBe(file.split('/').at(-2))
      expect(meta.bloomShards).toBeGreaterThan(0)
    }
  })

  it('reads the legacy vParquet4 test meta as the spec shows', () => {
    const json: unknown = JSON.parse(readFileSync(join(tempoBlocksDir, 'vParquet4/single-tenant/b27b0e53-66a0-4505-afd6-434ae3cd4a10/meta.json'), 'utf8'))
    const meta = parseBlockMeta(json)
    expect(meta).toMatchObject({ format: 'vParquet4', totalObjects: 134, size: 77187, totalRecords: 1, bloomShards: 1, footerSize: 17711, replicationFactor: 0 })
    expect(meta.dedicatedColumns.map((c) => `${c.scope}:${c.name}`)).toEqual(['resource:ip', 'span:instance', 'span:version', 'span:region', 'span:sampler.type'])
  })

  it('serializeBlockMeta reproduces every tempo-generated meta byte for byte', () => {
    const files = metaFiles(tempoGeneratedDir)
    expect(files.length).toBe(48)
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      expect(serializeBlockMeta(parseBlockMeta(JSON.parse(text))), relative(tempoGeneratedDir, file)).toBe(text)
    }
  })

  it('reproduces the golden compacted_block_meta.json (with compactedTime and the legacy indexPageSize)', () => {
    const text = readFileSync(join(tempoBlocksDir, 'tenant-index/golden@cfbfacb2/compacted_block_meta.json'), 'utf8')
    const meta = parseBlockMeta(JSON.parse(text), { compacted: true })
    expect(meta.dedicatedColumns).toEqual([
      { name: 'namespace', scope: 'resource', type: 'string', options: [] },
      { name: 'http.status_code', scope: 'span', type: 'int', options: [] },
      { name: 'http.url', scope: 'span', type: 'string', options: ['array'] },
    ])
    expect(serializeBlockMeta(meta, { withCompactedTime: true, indexPageSize: 250000 })).toBe(text)
  })
})
