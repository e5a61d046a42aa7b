import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { cachedDiscovery } from '../../functions/core/batch/cached-discovery.js'
import { BlockCache } from '../../functions/core/search/block-cache.js'
import { CountingStore } from '../../functions/core/storage/counting-store.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { generateTenant } from '../../functions/generator/generate-tenant.js'
import { lookupTrace } from '../../functions/server/trace-lookup.js'

describe('BlockCache through single lookups', () => {
  let dir: string
  let ids: string[]
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tempo-batch-cache-'))
    ids = (await generateTenant(new FsStore(dir), { tenant: 'c', format: 'vParquet4', seed: 9, blocks: 3, tracesPerBlock: 15 })).traceIds
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('a warm lookup reads no bloom shard and no footer again, and answers the same', async () => {
    const store = new CountingStore(new FsStore(dir))
    const layout = new TempoLayout('')
    const cache = new BlockCache()
    const deps = { tempoStore: store, layout, discover: cachedDiscovery(store, layout, { ttlMs: 3_600_000 }), cache }
    const cold = await lookupTrace({ tenant: 'c', traceId: ids[0]! }, deps, { model: false })
    const coldKeys = store.log.map((r) => r.key)
    expect(coldKeys.filter((k) => /bloom-\d+$/.test(k))).toHaveLength(3)
    expect(cache.bytes).toBeGreaterThan(3 * 100 * 1024)
    store.reset()
    const warm = await lookupTrace({ tenant: 'c', traceId: ids[1]! }, deps, { model: false })
    const again = await lookupTrace({ tenant: 'c', traceId: ids[0]! }, deps, { model: false })
    expect(store.log.filter((r) => /bloom-\d+$/.test(r.key))).toEqual([])
    // A footer read is the one that ends at the end of data.parquet.
    const sizes = new Map((await deps.discover('c')).blocks.map((b) => [layout.blockObject('c', b.blockId, 'data.parquet'), b.size]))
    const footerReads = (log: typeof store.log) => log.filter((r) => r.range !== undefined && r.range.end === sizes.get(r.key))
    expect(footerReads(store.log)).toEqual([])
    expect(warm.result.status).toBe('found')
    expect(again.result.traceJson).toBe(cold.result.traceJson)
    // Without a cache every lookup reads the shards again.
    store.reset()
    await lookupTrace({ tenant: 'c', traceId: ids[0]! }, { ...deps, cache: undefined })
    expect(store.log.filter((r) => /bloom-\d+$/.test(r.key))).toHaveLength(3)
    expect(footerReads(store.log).length).toBeGreaterThan(0)
  })
})
