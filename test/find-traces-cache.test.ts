import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FsStore } from '../functions/adapters/fs-store.js'
import { parseBlockMeta } from '../functions/core/blocks/meta.js'
import { findTracesInBlock } from '../functions/core/find-traces.js'
import { BlockFileCache } from '../functions/core/parquet/block-file-cache.js'
import { compareBytes } from '../functions/core/trace-id.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoGeneratedDir } from './support/shared-fixtures.js'
import { benchBlocks, fileBuffer, referenceTraceIds } from './parquet/fixture-blocks.js'

sharedFixturesSkipNote('findTracesInBlock file cache')

describe.skipIf(!hasSharedFixtures)('findTracesInBlock with a BlockFileCache (one reader job, IDs in chunks)', () => {
  it('a second chunk on the same block reads no footer and decodes only pages the first did not; results equal uncached calls', async () => {
    const [block] = benchBlocks()
    const meta = parseBlockMeta(block!.meta)
    const ids = await referenceTraceIds(fileBuffer(block!))
    const store = new FsStore(join(tempoGeneratedDir, 'bench', 'vParquet4'))
    // Two chunks of rows from the same pages: rows 10-29 and 30-49 of row group 0.
    const first = ids.slice(10, 30).sort(compareBytes)
    const second = ids.slice(30, 50).sort(compareBytes)
    const cache = new BlockFileCache(2)
    const cold1 = await findTracesInBlock(store, 'bench', meta, first)
    const cold2 = await findTracesInBlock(store, 'bench', meta, second)
    const warm1 = await findTracesInBlock(store, 'bench', meta, first, { fileCache: cache })
    const warm2 = await findTracesInBlock(store, 'bench', meta, second, { fileCache: cache })
    for (const r of [cold1, cold2, warm1, warm2]) expect(r.error).toBeUndefined()
    expect(warm1.found).toEqual(cold1.found)
    expect(warm2.found).toEqual(cold2.found)
    expect(warm2.found.size).toBe(20)
    // Cold: footer GET + page index + pages. Warm: the same pages are already fetched and decoded.
    expect(warm1.stats.requests).toBe(cold1.stats.requests)
    expect(warm2.stats.requests).toBeLessThan(cold2.stats.requests)
    expect(warm2.stats.bytesRead).toBeLessThan(cold2.stats.bytesRead / 4)
    expect(cold2.stats.pagesDecoded).toBeGreaterThan(0)
    expect(warm2.stats.pagesDecoded).toBeLessThan(cold2.stats.pagesDecoded)
    expect(warm2.stats.rowsDecoded).toBe(20)
    expect(cache.size).toBe(1)
  })

  it('keeps at most maxFiles files, least recently used out first', async () => {
    const cache = new BlockFileCache(2)
    const opened: string[] = []
    const fake = (key: string) => async () => {
      opened.push(key)
      return {} as never
    }
    await cache.get('a', fake('a'))
    await cache.get('b', fake('b'))
    await cache.get('a', fake('a'))
    await cache.get('c', fake('c'))
    await cache.get('a', fake('a'))
    await cache.get('b', fake('b'))
    expect(opened).toEqual(['a', 'b', 'c', 'b'])
    expect(cache.size).toBe(2)
  })

  it('does not keep a failed open', async () => {
    const cache = new BlockFileCache(2)
    await expect(cache.get('x', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    await Promise.resolve()
    expect(cache.size).toBe(0)
  })
})
