import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import type { BlockMeta } from '../../functions/core/blocks/block-meta.js'
import { blockOverlapsWindow, discoverBlocks } from '../../functions/core/blocks/discovery.js'
import { serializeBlockMeta } from '../../functions/core/blocks/meta.js'
import { readBlockMeta } from '../../functions/core/blocks/read-meta.js'
import { listTenants } from '../../functions/core/blocks/tenants.js'
import { CorruptTenantIndexError, decodeTenantIndexProto, encodeTenantIndexProto } from '../../functions/core/blocks/tenant-index.js'
import { InvalidTenantError, ObjectNotFoundError } from '../../functions/core/contract/errors.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import type { ByteRange, ListOptions, ObjectInfo, ObjectStore } from '../../functions/core/storage/object-store.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoGeneratedDir } from '../support/shared-fixtures.js'

const FORMATS = ['vParquet3', 'vParquet4', 'vParquet5'] as const
const FAR_FUTURE = new Date('2100-01-01T00:00:00Z')
const MINUTE = 60_000

interface ManifestBlock {
  label: string
  blockID: string
  state: string
}
type Manifest = { format: string; tenants: { tenant: string; blocks: ManifestBlock[] }[] }[]

const manifest = (): Manifest => JSON.parse(readFileSync(join(tempoGeneratedDir, 'correctness/manifest.json'), 'utf8')) as Manifest
const blocksOf = (format: string, tenant: string) => manifest().find((m) => m.format === format)!.tenants.find((t) => t.tenant === tenant)!.blocks
const ids = (blocks: { blockId: string }[]) => blocks.map((b) => b.blockId)

/** An ObjectStore wrapper recording every key it was asked for. */
class SpyStore implements ObjectStore {
  readonly calls: string[] = []
  constructor(private readonly inner: ObjectStore) {}
  get description() {
    return this.inner.description
  }
  get(key: string, range?: ByteRange) {
    this.calls.push(`get ${key}`)
    return this.inner.get(key, range)
  }
  head(key: string) {
    this.calls.push(`head ${key}`)
    return this.inner.head(key)
  }
  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo> {
    this.calls.push(`list ${prefix}`)
    return this.inner.list(prefix, options)
  }
  listFolders(prefix: string) {
    this.calls.push(`listFolders ${prefix}`)
    return this.inner.listFolders(prefix)
  }
  put(key: string, body: Uint8Array) {
    this.calls.push(`put ${key}`)
    return this.inner.put(key, body)
  }
  putStream(key: string, body: AsyncIterable<Uint8Array>) {
    return this.inner.putStream(key, body)
  }
}

function meta(blockId: string, overrides: Partial<BlockMeta> = {}): BlockMeta {
  return {
    format: 'vParquet4',
    blockId,
    tenantId: 'ten',
    startTimeUnixNano: 1_700_000_000n * 1_000_000_000n,
    endTimeUnixNano: 1_700_000_600n * 1_000_000_000n,
    totalObjects: 1,
    size: 100,
    compactionLevel: 0,
    totalRecords: 1,
    bloomShards: 1,
    footerSize: 10,
    dedicatedColumns: [],
    replicationFactor: 1,
    ...overrides,
  }
}

const A = 'aaaaaaaa-0000-4000-8000-000000000001'
const B = 'bbbbbbbb-0000-4000-8000-000000000002'
const C = 'cccccccc-0000-4000-8000-000000000003'
const D = 'dddddddd-0000-4000-8000-000000000004'
const E = 'eeeeeeee-0000-4000-8000-000000000005'
const F = 'ffffffff-0000-4000-8000-000000000006'
const text = (s: string) => new TextEncoder().encode(s)

describe('discoverBlocks on a synthetic bucket', () => {
  const now = new Date('2026-06-01T12:00:00Z')
  function bucket(): MemoryStore {
    const store = new MemoryStore()
    store.set(`p/ten/${A}/meta.json`, text(serializeBlockMeta(meta(A))))
    store.set(`p/ten/${A}/data.parquet`, text('x'))
    store.set(`p/ten/${B}/data.parquet`, text('x')) // incomplete: no meta yet
    store.set(`p/ten/${C}/meta.compacted.json`, text(serializeBlockMeta(meta(C))), new Date(now.getTime() - 5 * MINUTE))
    store.set(`p/ten/${D}/meta.compacted.json`, text(serializeBlockMeta(meta(D))), new Date(now.getTime() - 11 * MINUTE))
    store.set(`p/ten/${E}/meta.json`, text('{"format":'))
    store.set(`p/ten/${F}/meta.json`, text(serializeBlockMeta(meta(A))))
    store.set(`p/ten/${F}/nested/meta.json`, text('ignored'))
    store.set('p/ten/not-a-uuid/meta.json', text('ignored'))
    store.set('p/ten/index.json.gz', text('ignored by listing'))
    store.set(`p/ten2/${B}/meta.json`, text(serializeBlockMeta(meta(B))))
    store.set(`p/te/${B}/meta.json`, text(serializeBlockMeta(meta(B))))
    return store
  }

  it('lists live blocks, compacted ones within the grace window, says why others were skipped, and which could not be read', async () => {
    const store = new SpyStore(bucket())
    const found = await discoverBlocks(store, new TempoLayout('p'), 'ten', { source: 'listing', now })
    expect(found.source).toBe('listing')
    expect(ids(found.blocks)).toEqual([A, C])
    expect(found.blocks[1]!.compactedTime).toEqual(new Date(now.getTime() - 5 * MINUTE))
    expect(found.skipped.map((s) => [s.blockId, s.reason.split(':')[0]!.split(' ')[0]])).toEqual([
      [B, 'no'],
      [D, 'compacted'],
    ])
    // A block whose meta.json exists but cannot be read is a fault, not an absence (issue 14).
    expect(found.unreadable!.map((s) => [s.blockId, s.reason.split(':')[0]!.split(' ')[0]])).toEqual([
      [E, 'unreadable'],
      [F, 'meta.json'],
    ])
    expect(found.unreadable![1]!.reason).toBe(`meta.json names block ${A}`)
    // Only the tenant's own prefix is listed and read; compacted metas outside the window are not fetched.
    expect(store.calls.every((c) => c.startsWith('list p/ten/') || c.startsWith('get p/ten/'))).toBe(true)
    expect(store.calls.filter((c) => c.startsWith('get')).sort()).toEqual([`get p/ten/${A}/meta.json`, `get p/ten/${C}/meta.compacted.json`, `get p/ten/${E}/meta.json`, `get p/ten/${F}/meta.json`])
  })

  it('a meta.json compacted away between listing and reading is read as compacted; one gone for good makes the block unreadable', async () => {
    // Compaction writes meta.compacted.json, then deletes meta.json: the listing saw only meta.json.
    class Racing extends MemoryStore {
      override async get(key: string, range?: { start: number; end: number }): Promise<Uint8Array> {
        if (key === `p/ten/${A}/meta.json` || key === `p/ten/${B}/meta.json`) {
          if (key.includes(A)) this.set(`p/ten/${A}/meta.compacted.json`, text(serializeBlockMeta(meta(A))), now)
          this.delete(key)
        }
        return super.get(key, range)
      }
    }
    const store = new Racing()
    store.set(`p/ten/${A}/meta.json`, text(serializeBlockMeta(meta(A))))
    store.set(`p/ten/${B}/meta.json`, text(serializeBlockMeta(meta(B))))
    const found = await discoverBlocks(store, new TempoLayout('p'), 'ten', { source: 'listing', now })
    expect(ids(found.blocks)).toEqual([A])
    expect(found.blocks[0]!.compactedTime).toEqual(now)
    expect(found.unreadable!.map((u) => [u.blockId, u.reason.split(' (')[0]])).toEqual([[B, 'meta.json disappeared after listing']])
  })

  it('finds the same blocks however many block-ID ranges are listed concurrently', async () => {
    const store = bucket()
    // Spread block IDs over every leading hex digit.
    for (const digit of '0123456789abcdef') {
      const id = `${digit}0000000-0000-4000-8000-00000000000${digit}`
      store.set(`p/ten/${id}/meta.json`, text(serializeBlockMeta(meta(id))))
    }
    const expected = await discoverBlocks(store, new TempoLayout('p'), 'ten', { source: 'listing', now, listConcurrency: 1 })
    expect(expected.blocks).toHaveLength(18)
    for (const listConcurrency of [2, 3, 4, 7, 16, 99]) {
      expect(await discoverBlocks(store, new TempoLayout('p'), 'ten', { source: 'listing', now, listConcurrency })).toEqual(expected)
    }
  })

  it('reads one block meta, live first then compacted (time from LastModified)', async () => {
    const store = bucket()
    const layout = new TempoLayout('p')
    expect((await readBlockMeta(store, layout, 'ten', A))!.compactedTime).toBeUndefined()
    expect((await readBlockMeta(store, layout, 'ten', C))!.compactedTime).toEqual(new Date(now.getTime() - 5 * MINUTE))
    expect(await readBlockMeta(store, layout, 'ten', B)).toBeUndefined()
    await expect(readBlockMeta(store, layout, 'ten', E)).rejects.toThrow(`block ten/${E}: meta.json is not valid JSON`)
  })

  it('widens and narrows the grace window on request', async () => {
    const wide = await discoverBlocks(bucket(), new TempoLayout('p'), 'ten', { source: 'listing', now, compactedGraceMs: 60 * MINUTE })
    expect(ids(wide.blocks)).toEqual([A, C, D])
    const none = await discoverBlocks(bucket(), new TempoLayout('p'), 'ten', { source: 'listing', now, compactedGraceMs: 0 })
    expect(ids(none.blocks)).toEqual([A])
  })

  it('uses a fresh tenant index in auto mode, lists when it is stale or corrupt', async () => {
    const store = bucket()
    const index = { createdAt: new Date(now.getTime() - 2 * MINUTE), meta: [meta(B), meta(A)], compacted: [meta(C, { compactedTime: new Date(now.getTime() - 9 * MINUTE) }), meta(D, { compactedTime: new Date(now.getTime() - 20 * MINUTE) })] }
    store.set('p/ten/index.pb.zst', encodeTenantIndexProto(index))
    const fresh = await discoverBlocks(store, new TempoLayout('p'), 'ten', { now })
    expect(fresh.source).toBe('tenant-index')
    expect(ids(fresh.blocks)).toEqual([A, B, C])
    expect(ids(fresh.skipped)).toEqual([D])
    const stale = await discoverBlocks(store, new TempoLayout('p'), 'ten', { now, maxIndexAgeMs: MINUTE })
    expect(stale.source).toBe('listing')
    expect(ids(stale.blocks)).toEqual([A, C])
    store.set('p/ten/index.pb.zst', text('garbage'))
    expect((await discoverBlocks(store, new TempoLayout('p'), 'ten', { now })).source).toBe('listing')
    await expect(discoverBlocks(store, new TempoLayout('p'), 'ten', { now, source: 'tenant-index' })).rejects.toThrow(CorruptTenantIndexError)
    store.delete('p/ten/index.pb.zst')
    store.delete('p/ten/index.json.gz')
    await expect(discoverBlocks(store, new TempoLayout('p'), 'ten', { now, source: 'tenant-index' })).rejects.toThrow(ObjectNotFoundError)
  })

  it('rejects unsafe tenants before touching the store', async () => {
    const store = new SpyStore(bucket())
    for (const tenant of ['../x', 'a/b', '', '..', '.', 'a\\b', 'tab\there', 'x'.repeat(151), 'tempo_cluster_seed.json', 'é']) {
      await expect(discoverBlocks(store, new TempoLayout('p'), tenant), JSON.stringify(tenant)).rejects.toThrow(InvalidTenantError)
    }
    expect(store.calls).toEqual([])
  })
})

describe('blockOverlapsWindow (Tempo compares whole unix seconds)', () => {
  // Block from 100.9 s to 200.2 s: Tempo sees 100 .. 200.
  const block = { startTimeUnixNano: 100_900_000_000n, endTimeUnixNano: 200_200_000_000n }
  it.each([
    [undefined, undefined, true],
    [0, 0, true],
    [150, undefined, true],
    [0, 50, true], // start 0 = parameter not sent: no filter
    [50, 100, false], // meta.start (100) >= end
    [50, 101, true],
    [200, 300, false], // meta.end (200) <= start
    [199, 300, true],
    [120, 130, true],
    [1, 2, false],
  ])('start=%s end=%s -> %s', (start, end, expected) => {
    expect(blockOverlapsWindow(block, start, end)).toBe(expected)
  })

  it('floors times before 1970 like Go', () => {
    const early = { startTimeUnixNano: -1_500_000_000n, endTimeUnixNano: -500_000_000n } // -1.5 s .. -0.5 s => -2 .. -1
    expect(blockOverlapsWindow(early, -1, 5)).toBe(false)
    expect(blockOverlapsWindow(early, -2, 5)).toBe(true)
  })
})

sharedFixturesSkipNote('discovery')
describe.skipIf(!hasSharedFixtures)('discoverBlocks on tempo-generated correctness roots', () => {
  for (const format of FORMATS) {
    const root = join(tempoGeneratedDir, 'correctness', format)

    it(`${format}: single-tenant lists B0-B5 and R0; C6/C7 only within the grace window`, async () => {
      const store = new FsStore(root)
      const expected = blocksOf(format, 'single-tenant')
      const live = expected.filter((b) => b.state !== 'compacted')
      const compacted = expected.filter((b) => b.state === 'compacted')
      expect(live.map((b) => b.label).sort()).toEqual(['B0', 'B1', 'B2', 'B3', 'B4', 'B5', 'R0'])
      expect(compacted.map((b) => b.label).sort()).toEqual(['C6', 'C7'])

      const later = await discoverBlocks(store, new TempoLayout(), 'single-tenant', { source: 'listing', now: FAR_FUTURE })
      expect(ids(later.blocks)).toEqual(live.map((b) => b.blockID).sort())
      expect(later.blocks.every((b) => b.compactedTime === undefined)).toBe(true)
      expect(ids(later.skipped)).toEqual(compacted.map((b) => b.blockID).sort())

      // Right after compaction (file mtime = compacted time) the compacted inputs are still searched.
      const c6 = compacted[0]!.blockID
      const compactedAt = statSync(join(root, 'single-tenant', c6, 'meta.compacted.json')).mtime
      const soon = await discoverBlocks(store, new TempoLayout(), 'single-tenant', { source: 'listing', now: new Date(compactedAt.getTime() + MINUTE) })
      expect(ids(soon.blocks)).toEqual(expected.map((b) => b.blockID).sort())
      expect(soon.blocks.find((b) => b.blockId === c6)!.compactedTime).toEqual(compactedAt)
    })

    it(`${format}: the tenant index gives the same blocks, and auto mode picks it only while fresh`, async () => {
      const store = new FsStore(root)
      const index = decodeTenantIndexProto(new Uint8Array(readFileSync(join(root, 'single-tenant', 'index.pb.zst'))))
      const listed = await discoverBlocks(store, new TempoLayout(), 'single-tenant', { source: 'listing', now: FAR_FUTURE })
      const fromIndex = await discoverBlocks(store, new TempoLayout(), 'single-tenant', { source: 'tenant-index', now: FAR_FUTURE })
      expect(fromIndex.blocks).toEqual(listed.blocks)

      const justAfter = new Date(index.createdAt.getTime() + MINUTE)
      const auto = await discoverBlocks(store, new TempoLayout(), 'single-tenant', { now: justAfter })
      expect(auto.source).toBe('tenant-index')
      expect(auto.blocks).toHaveLength(9) // C6/C7 were compacted just before the index was built
      const staleAuto = await discoverBlocks(store, new TempoLayout(), 'single-tenant', { now: new Date(index.createdAt.getTime() + 16 * MINUTE) })
      expect(staleAuto.source).toBe('listing')

      for (const listConcurrency of [1, 16]) {
        const again = await discoverBlocks(store, new TempoLayout(), 'single-tenant', { source: 'listing', now: FAR_FUTURE, listConcurrency })
        expect(again).toEqual(listed)
      }
      const tenantB = await discoverBlocks(store, new TempoLayout(), 'tenant-b', { source: 'listing', now: FAR_FUTURE })
      expect(ids(tenantB.blocks)).toEqual(blocksOf(format, 'tenant-b').map((b) => b.blockID).sort())
      expect(tenantB.skipped).toEqual([])
    })

    it(`${format}: blockOverlapsWindow selects exactly the golden blocks of every windowed query`, async () => {
      const { blocks } = await discoverBlocks(new FsStore(root), new TempoLayout(), 'single-tenant', { source: 'listing', now: FAR_FUTURE })
      const metaById = new Map(blocks.map((b) => [b.blockId, b]))
      const lines = gunzipSync(readFileSync(join(tempoGeneratedDir, 'correctness/goldens', format, 'single-tenant.jsonl.gz'))).toString('utf8').split('\n')
      let windowed = 0
      for (const line of lines) {
        const head = /^\{"traceId":"[0-9a-f]+","start":(\d+),"end":(\d+),/.exec(line)
        if (!head || (head[1] === '0' && head[2] === '0')) continue
        // The v1/v2 bodies come first; the block lists follow "spanCount".
        const tail = line.slice(line.lastIndexOf('"spanCount":'))
        const list = (key: string) => JSON.parse(new RegExp(`"${key}":(\\[[^\\]]*\\])`).exec(tail)![1]!) as string[]
        const [start, end] = [Number(head[1]), Number(head[2])]
        for (const id of list('blocks')) expect(blockOverlapsWindow(metaById.get(id)!, start, end), `${id} ${start}-${end}`).toBe(true)
        for (const id of list('blocksOutsideWindow')) expect(blockOverlapsWindow(metaById.get(id)!, start, end), `${id} ${start}-${end}`).toBe(false)
        windowed++
      }
      expect(windowed).toBeGreaterThan(50)
    })
  }
})

describe('listTenants', () => {
  it('lists the folders below the prefix, minus reserved and unsafe names', async () => {
    const store = new MemoryStore()
    for (const key of ['p/single-tenant/x/meta.json', 'p/tenant-b/index.pb.zst', 'p/tempo_cluster_seed.json/x', 'p/work.json/x', 'p/has space/x', 'p/loose-file', 'q/other/x']) {
      store.set(key, text('x'))
    }
    expect(await listTenants(store, new TempoLayout('p'))).toEqual(['single-tenant', 'tenant-b'])
    expect(await listTenants(store, new TempoLayout('/p/'))).toEqual(['single-tenant', 'tenant-b'])
    expect(await listTenants(store, new TempoLayout())).toEqual(['p', 'q'])
  })
})

describe.skipIf(!hasSharedFixtures)('listTenants on the fixtures', () => {
  it('finds both tenants of a tempo-generated root', async () => {
    expect(await listTenants(new FsStore(join(tempoGeneratedDir, 'correctness/vParquet5')), new TempoLayout())).toEqual(['single-tenant', 'tenant-b'])
  })
})
