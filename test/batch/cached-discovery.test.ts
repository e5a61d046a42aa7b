import { describe, expect, it } from 'vitest'
import { cachedDiscovery } from '../../functions/core/batch/cached-discovery.js'
import { serializeBlockMeta } from '../../functions/core/blocks/meta.js'
import type { BlockMeta } from '../../functions/core/blocks/block-meta.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'

const layout = new TempoLayout('')

function addBlock(store: MemoryStore, n: number): void {
  const meta: BlockMeta = {
    format: 'vParquet4', blockId: `00000000-0000-0000-0000-00000000000${n}`, tenantId: 't', startTimeUnixNano: 1n, endTimeUnixNano: 2n,
    totalObjects: 1, size: 1, compactionLevel: 0, totalRecords: 1, bloomShards: 1, footerSize: 1, dedicatedColumns: [], replicationFactor: 1,
  }
  store.set(layout.blockObject('t', meta.blockId, 'meta.json'), new TextEncoder().encode(serializeBlockMeta(meta)))
}

/** A store that counts listings and can be made to fail them. */
class CountingListings extends MemoryStore {
  listings = 0
  failing = false
  override async *list(prefix: string, options?: { startAfter?: string }) {
    this.listings++
    if (this.failing) throw new Error('listing failed')
    yield* super.list(prefix, options)
  }
}

const ids = async (p: Promise<{ blocks: BlockMeta[] }>) => (await p).blocks.map((b) => b.blockId.slice(-1))

describe('cachedDiscovery', () => {
  it('lists once, serves the list until it is stale, then refreshes in the background without making anyone wait', async () => {
    const store = new CountingListings()
    addBlock(store, 1)
    let clock = 0
    const discover = cachedDiscovery(store, layout, { source: 'listing', ttlMs: 1000, clock: () => clock })
    expect(await ids(discover('t'))).toEqual(['1'])
    const listed = store.listings
    addBlock(store, 2)
    clock = 999
    expect(await ids(discover('t'))).toEqual(['1'])
    expect(store.listings).toBe(listed)
    clock = 1000
    // Stale: still the old list, while one refresh starts.
    expect(await ids(discover('t'))).toEqual(['1'])
    expect(await ids(discover('t'))).toEqual(['1'])
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(store.listings).toBe(2 * listed)
    expect(await ids(discover('t'))).toEqual(['1', '2'])
  })

  it('keeps the old list when a refresh fails, and forgets a failed first discovery', async () => {
    const store = new CountingListings()
    addBlock(store, 1)
    let clock = 0
    const discover = cachedDiscovery(store, layout, { source: 'listing', ttlMs: 1000, clock: () => clock })
    await discover('t')
    store.failing = true
    clock = 5000
    expect(await ids(discover('t'))).toEqual(['1'])
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(await ids(discover('t'))).toEqual(['1'])
    await expect(discover('other')).rejects.toThrow('listing failed')
    store.failing = false
    expect(await ids(discover('other'))).toEqual([])
  })
})
