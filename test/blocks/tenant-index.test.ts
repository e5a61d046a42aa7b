import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BlockMeta } from '../../functions/core/blocks/block-meta.js'
import { parseBlockMeta } from '../../functions/core/blocks/meta.js'
import {
  CorruptTenantIndexError,
  decodeTenantIndexJson,
  decodeTenantIndexProto,
  encodeTenantIndexJson,
  encodeTenantIndexProto,
  readTenantIndex,
  tenantIndexJsonText,
  type TenantIndex,
} from '../../functions/core/blocks/tenant-index.js'
import { decodeCompactedBlockMeta, decodeTenantIndexMessage, encodeBlockMeta } from '../../functions/core/blocks/tenant-index-proto.js'
import { gunzip, gzipWithName } from '../../functions/core/encoding/gzip.js'
import { ProtoReader } from '../../functions/core/encoding/protobuf.js'
import { zstdDecompress } from '../../functions/core/encoding/zstd.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoBlocksDir, tempoGeneratedDir } from '../support/shared-fixtures.js'

const read = (path: string) => new Uint8Array(readFileSync(path))
const GOLDEN = 'tenant-index/golden@cfbfacb2'

/** The meta the spec gives for the golden fixture (§1.5). */
const goldenMeta: BlockMeta = {
  format: 'vParquet4',
  blockId: '11111111-2222-3333-4444-555555555555',
  tenantId: 'test-tenant',
  startTimeUnixNano: 1609459200n * 1_000_000_000n,
  endTimeUnixNano: 1609556645n * 1_000_000_000n,
  totalObjects: 42,
  size: 123456789,
  compactionLevel: 3,
  totalRecords: 98765,
  bloomShards: 16,
  footerSize: 4096,
  dedicatedColumns: [
    { name: 'namespace', scope: 'resource', type: 'string', options: [] },
    { name: 'http.status_code', scope: 'span', type: 'int', options: [] },
    { name: 'http.url', scope: 'span', type: 'string', options: ['array'] },
  ],
  replicationFactor: 3,
}

/** The length-delimited payloads of `field` in a message, in order. */
function submessages(message: Uint8Array, field: number): Uint8Array[] {
  const reader = new ProtoReader(message)
  const out: Uint8Array[] = []
  while (reader.more) {
    const [tagField, wireType] = reader.tag()
    if (tagField === field && wireType === 2) out.push(reader.delimited())
    else reader.skip(wireType)
  }
  return out
}

/** Backend roots of tempo-generated, with their tenants. */
function generatedTenants(): { root: string; tenant: string }[] {
  const roots = ['correctness/vParquet3', 'correctness/vParquet4', 'correctness/vParquet5', 'bench/vParquet4'].map((r) => join(tempoGeneratedDir, r))
  return roots.flatMap((root) =>
    readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => ({ root, tenant: d.name })),
  )
}

/** Live and compacted metas of a tenant directory, read straight from the files. */
function metasOnDisk(dir: string): { live: BlockMeta[]; compacted: BlockMeta[] } {
  const live: BlockMeta[] = []
  const compacted: BlockMeta[] = []
  for (const id of readdirSync(dir).sort()) {
    const meta = join(dir, id, 'meta.json')
    const compactedMeta = join(dir, id, 'meta.compacted.json')
    if (existsSync(meta)) live.push(parseBlockMeta(JSON.parse(readFileSync(meta, 'utf8'))))
    else if (existsSync(compactedMeta)) compacted.push(parseBlockMeta(JSON.parse(readFileSync(compactedMeta, 'utf8'))))
  }
  return { live, compacted }
}

const withoutCompactedTime = (metas: BlockMeta[]) => metas.map(({ compactedTime: _, ...rest }) => rest)
const byId = (a: { blockId: string }, b: { blockId: string }) => (a.blockId < b.blockId ? -1 : 1)

describe('tenant index encode/decode round trips', () => {
  const index: TenantIndex = {
    createdAt: new Date('2026-01-02T03:04:05.678Z'),
    meta: [goldenMeta, { ...goldenMeta, blockId: '00000000-0000-0000-0000-000000000001', dedicatedColumns: [], replicationFactor: 0, size: 0 }],
    compacted: [{ ...goldenMeta, blockId: 'ffffffff-0000-0000-0000-000000000002', startTimeUnixNano: -62135596800n * 1_000_000_000n, compactedTime: new Date('2026-01-02T03:00:00.001Z') }],
  }

  it('protobuf+zstd', () => {
    const bytes = encodeTenantIndexProto(index)
    expect([...bytes.subarray(0, 4)]).toEqual([0x28, 0xb5, 0x2f, 0xfd])
    expect(decodeTenantIndexProto(bytes)).toEqual(index)
  })

  it('JSON+gzip, with the gzip member named index.json like Tempo', () => {
    const bytes = encodeTenantIndexJson(index)
    expect(Buffer.from(bytes.subarray(10, 21)).toString('latin1')).toBe('index.json\0')
    expect(decodeTenantIndexJson(bytes)).toEqual(index)
    const empty: TenantIndex = { createdAt: new Date(0), meta: [], compacted: [] }
    expect(tenantIndexJsonText(empty)).toBe('{"created_at":"1970-01-01T00:00:00Z","meta":[],"compacted":[]}')
    expect(decodeTenantIndexJson(encodeTenantIndexJson(empty))).toEqual(empty)
  })

  it('rejects corrupt bytes with CorruptTenantIndexError', () => {
    expect(() => decodeTenantIndexProto(new Uint8Array([1, 2, 3, 4, 5]), 't')).toThrow(CorruptTenantIndexError)
    const truncated = encodeTenantIndexProto(index).subarray(0, 60)
    expect(() => decodeTenantIndexProto(truncated, 't')).toThrow(/tenant index t: index.pb.zst/)
    expect(() => decodeTenantIndexJson(gzipWithName(new TextEncoder().encode('{"meta":7}')), 't')).toThrow(/meta is not an array/)
    expect(() => decodeTenantIndexJson(new Uint8Array([0x1f, 0x8b, 0]), 't')).toThrow(CorruptTenantIndexError)
  })
})

describe('readTenantIndex', () => {
  const layout = new TempoLayout('pre')
  const index: TenantIndex = { createdAt: new Date('2026-01-01T00:00:00Z'), meta: [goldenMeta], compacted: [] }
  const other: TenantIndex = { ...index, meta: [] }

  it('prefers index.pb.zst, falls back to index.json.gz only when it is absent, else undefined', async () => {
    const store = new MemoryStore()
    expect(await readTenantIndex(store, layout, 'ten')).toBeUndefined()
    store.set('pre/ten/index.json.gz', encodeTenantIndexJson(other))
    expect(await readTenantIndex(store, layout, 'ten')).toEqual(other)
    store.set('pre/ten/index.pb.zst', encodeTenantIndexProto(index))
    expect(await readTenantIndex(store, layout, 'ten')).toEqual(index)
  })

  it('throws on a corrupt index.pb.zst even when the JSON is fine', async () => {
    const store = new MemoryStore()
    store.set('pre/ten/index.json.gz', encodeTenantIndexJson(other))
    store.set('pre/ten/index.pb.zst', new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0xff]))
    await expect(readTenantIndex(store, layout, 'ten')).rejects.toThrow(CorruptTenantIndexError)
  })
})

sharedFixturesSkipNote('tenant index')
describe.skipIf(!hasSharedFixtures)('tenant index fixtures', () => {
  it('decodes the golden@cfbfacb2 protobuf and JSON to the values of spec §1.5', () => {
    const message = decodeTenantIndexMessage(read(join(tempoBlocksDir, GOLDEN, 'tenant_index.pb')))
    expect(message.createdAtUnixNano).toBe(1609677000n * 1_000_000_000n)
    expect(message.meta).toEqual([goldenMeta])
    expect(message.compacted).toEqual([{ ...goldenMeta, compactedTime: new Date('2021-01-03T12:00:00Z') }])
    const json = decodeTenantIndexJson(gzipWithName(read(join(tempoBlocksDir, GOLDEN, 'tenant_index.json'))))
    expect(json).toEqual({ createdAt: new Date('2021-01-03T12:30:00Z'), meta: message.meta, compacted: message.compacted })
    const compacted = decodeCompactedBlockMeta(read(join(tempoBlocksDir, GOLDEN, 'compacted_block_meta.pb')))
    expect(compacted).toEqual(message.compacted[0])
  })

  it('encodes the golden meta like gogo-protobuf, except the legacy index_page_size it does not carry', () => {
    const golden = submessages(read(join(tempoBlocksDir, GOLDEN, 'tenant_index.pb')), 2)[0]!
    // Field 12 (tag 0x60) = 250000 is a 4-byte varint; remove it from the golden bytes to compare.
    const tag = Buffer.from(golden).indexOf(Buffer.from([0x60, 0x90, 0xa1, 0x0f]))
    expect(tag).toBeGreaterThan(0)
    const withoutField12 = new Uint8Array([...golden.subarray(0, tag), ...golden.subarray(tag + 4)])
    expect(Buffer.from(encodeBlockMeta(goldenMeta)).toString('hex')).toBe(Buffer.from(withoutField12).toString('hex'))
  })

  it('decodes the backend-test single-tenant index.pb.zst: 3 live + 1 compacted, matching the directory', () => {
    const dir = join(tempoBlocksDir, 'tenant-index/backend-test/single-tenant')
    const index = decodeTenantIndexProto(read(join(dir, 'index.pb.zst')))
    expect(index.meta.map((m) => m.blockId).sort()).toEqual(['709f51b4-4e04-464a-89e0-f1f8d956e633', '8ff0b000-3138-4665-84bf-630caff577a5', 'f5ac87ed-77f1-408e-9c98-785692900e81'])
    expect(index.compacted.map((m) => m.blockId)).toEqual(['fa599055-6305-43a9-9a17-5ff9b208cd01'])
    expect(index.compacted[0]!.compactedTime).toBeInstanceOf(Date)
    const disk = metasOnDisk(dir)
    expect(withoutCompactedTime(index.meta).sort(byId)).toEqual(disk.live)
    expect(withoutCompactedTime(index.compacted)).toEqual(disk.compacted)
  })

  it('decodes the large tenant 3 index.json.gz: 22,435 live + 3,264 compacted metas with 20 dedicated columns', () => {
    const index = decodeTenantIndexJson(read(join(tempoBlocksDir, 'tenant-index/backend-test/3/index.json.gz')))
    expect(index.meta).toHaveLength(22435)
    expect(index.compacted).toHaveLength(3264)
    expect(new Set([...index.meta, ...index.compacted].map((m) => m.dedicatedColumns.length))).toEqual(new Set([20]))
    expect(new Set(index.meta.map((m) => m.tenantId))).toEqual(new Set(['3']))
    expect(index.compacted.every((m) => m.compactedTime instanceof Date && !Number.isNaN(m.compactedTime.getTime()))).toBe(true)
  })

  for (const { root, tenant } of hasSharedFixtures ? generatedTenants() : []) {
    const name = `${root.slice(tempoGeneratedDir.length + 1)}/${tenant}`
    it(`tempo-generated ${name}: both indexes list the same blocks as the directory, byte-compatible`, () => {
      const dir = join(root, tenant)
      const pbBytes = zstdDecompress(read(join(dir, 'index.pb.zst')))
      const pb = decodeTenantIndexProto(read(join(dir, 'index.pb.zst')))
      const json = decodeTenantIndexJson(read(join(dir, 'index.json.gz')))
      expect(json).toEqual(pb)
      const disk = metasOnDisk(dir)
      expect(pb.meta.length + pb.compacted.length).toBeGreaterThanOrEqual(3)
      expect(withoutCompactedTime(pb.meta).sort(byId)).toEqual(disk.live)
      expect(withoutCompactedTime(pb.compacted).sort(byId)).toEqual(disk.compacted)
      // Every BlockMeta message re-encodes to Tempo's exact bytes.
      const originals = submessages(pbBytes, 2)
      expect(originals.map((b) => Buffer.from(b).toString('hex'))).toEqual(pb.meta.map((m) => Buffer.from(encodeBlockMeta(m)).toString('hex')))
      // The JSON text matches Tempo's once its nanosecond times are cut to our millisecond Dates.
      const text = new TextDecoder().decode(gunzip(read(join(dir, 'index.json.gz'))))
      const toMillis = text.replace(/"(created_at|compactedTime)":"([^"]+)"/g, (_, key: string, time: string) => `"${key}":"${new Date(time).toISOString().replace(/\.?0*Z$/, 'Z')}"`)
      expect(tenantIndexJsonText(json)).toBe(toMillis)
    })
  }
})
