import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { BlockSearch } from '../../functions/core/search/block-search.js'
import { parseBlockMeta } from '../../functions/core/blocks/meta.js'
import { TempoBatchError } from '../../functions/core/contract/errors.js'
import { findTracesInBlock } from '../../functions/core/search/find-traces.js'
import type { Trace } from '../../functions/core/otlp/model.js'
import { compareBytes, parseTraceId } from '../../functions/core/contract/trace-id.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoGeneratedDir } from '../support/shared-fixtures.js'
import { benchBlocks, fileBuffer, referenceTraceIds } from '../parquet/fixture-blocks.js'

sharedFixturesSkipNote('BlockSearch')

async function benchBlock() {
  const [block] = benchBlocks()
  const meta = parseBlockMeta(block!.meta)
  const ids = (await referenceTraceIds(fileBuffer(block!))).sort(compareBytes)
  return { meta, ids, store: new FsStore(join(tempoGeneratedDir, 'bench', 'vParquet4')) }
}

function chunksOf<T>(items: readonly T[], count: number): T[][] {
  const size = Math.ceil(items.length / count)
  return Array.from({ length: count }, (_, i) => items.slice(i * size, (i + 1) * size))
}

describe.skipIf(!hasSharedFixtures)('BlockSearch: one block read in chunks of ascending IDs', () => {
  let whole: Awaited<ReturnType<typeof findTracesInBlock>>
  beforeAll(async () => {
    const { meta, ids, store } = await benchBlock()
    whole = await findTracesInBlock(store, 'bench', meta, ids)
  }, 60_000)

  it('finds what one findTracesInBlock finds, decoding each page once, reading few bytes twice, and letting pages go', async () => {
    const { meta, ids, store } = await benchBlock()
    expect(whole.error).toBeUndefined()
    expect(whole.found.size).toBe(ids.length)

    const search = await BlockSearch.open(store, 'bench', meta, ids)
    const found = new Map<string, Trace>()
    let requests = 0
    let bytesRead = 0
    let pagesDecoded = 0
    const held: number[] = []
    for (const chunk of chunksOf(ids, 6)) {
      const result = await search.find(chunk)
      expect(result.error).toBeUndefined()
      expect(result.found.size).toBe(chunk.length)
      for (const [id, trace] of result.found) found.set(id, trace)
      requests += result.stats.requests
      bytesRead += result.stats.bytesRead
      pagesDecoded += result.stats.pagesDecoded
      held.push(search.pagesHeld)
    }
    expect(found).toEqual(whole.found)
    expect(pagesDecoded).toBe(whole.stats.pagesDecoded)
    // Pages straddling two chunks are kept decoded, not fetched again; only bytes in coalescing gaps
    // (pages of later rows fetched along, then let go) are read twice.
    expect(bytesRead).toBeLessThan(whole.stats.bytesRead * 1.15)
    expect(requests).toBeLessThanOrEqual(whole.stats.requests + 5 * 12)
    // Mid-way the search holds only pages its next rows need; at the end nothing.
    expect(Math.max(...held.slice(0, -1))).toBeLessThan(whole.stats.pagesDecoded / 2)
    expect(held.at(-1)).toBe(0)
  })

  it('reports the open work with the first call only and settles absent IDs from the bloom filter and the TraceID column', async () => {
    const { meta, ids, store } = await benchBlock()
    const absent = [parseTraceId('00000000000000000000000000000001'), parseTraceId('ffffffffffffffffffffffffffffffff')]
    const wanted = [absent[0]!, ...ids.slice(0, 40), absent[1]!]
    const search = await BlockSearch.open(store, 'bench', meta, wanted)
    const first = await search.find(wanted.slice(0, 21))
    const second = await search.find(wanted.slice(21))
    expect(first.found.size + second.found.size).toBe(40)
    expect([...first.notFound, ...second.notFound]).toEqual(['00000000000000000000000000000001', 'ffffffffffffffffffffffffffffffff'])
    expect(first.stats.phaseMs.footer).toBeGreaterThan(0)
    expect(second.stats.phaseMs.footer).toBe(0)
    expect(second.stats.phaseMs.bloom).toBe(0)
    expect(second.stats.rowsDecoded).toBe(20)
    expect(first.stats.bloomRejects + second.stats.bloomRejects).toBe(first.stats.bloomRejects)
  })

  it('answers the same when IDs come in descending order (it then holds pages longer, never too few)', async () => {
    const { meta, ids, store } = await benchBlock()
    const search = await BlockSearch.open(store, 'bench', meta, ids)
    const found = new Map<string, Trace>()
    let pagesDecoded = 0
    for (const chunk of chunksOf(ids, 4).reverse()) {
      const result = await search.find(chunk)
      expect(result.error).toBeUndefined()
      for (const [id, trace] of result.found) found.set(id, trace)
      pagesDecoded += result.stats.pagesDecoded
    }
    expect(found).toEqual(whole.found)
    // Only pages before every row still to read are let go, so none is ever decoded twice.
    expect(pagesDecoded).toBe(whole.stats.pagesDecoded)
  })

  it('refuses an ID it was not opened for, or one it has read already', async () => {
    const { meta, ids, store } = await benchBlock()
    const search = await BlockSearch.open(store, 'bench', meta, ids.slice(0, 3))
    await expect(search.find([ids[5]!])).rejects.toThrow(TempoBatchError)
    expect((await search.find([ids[1]!])).found.size).toBe(1)
    await expect(search.find([ids[1]!])).rejects.toThrow('was read already')
  })
})

describe.skipIf(!hasSharedFixtures)('BlockSearch: reads in windows of bounded page bytes', () => {
  it('small windows give the same traces with fewer pages held at once and no more requests; small fetch rounds cost requests', async () => {
    const { meta, ids, store } = await benchBlock()
    const some = ids.filter((_, i) => i % 5 === 0)
    const wideSearch = await BlockSearch.open(store, 'bench', meta, some, { readWindowBytes: 64 * 2 ** 20 })
    const wide = await wideSearch.find(some)
    const narrowSearch = await BlockSearch.open(store, 'bench', meta, some, { readWindowBytes: 64 * 1024 })
    const narrow = await narrowSearch.find(some)
    expect(narrow.error).toBeUndefined()
    expect([...narrow.found.keys()]).toEqual([...wide.found.keys()])
    expect(narrow.found).toEqual(wide.found)
    expect(narrow.stats.pagesDecoded).toBe(wide.stats.pagesDecoded)
    expect(narrowSearch.peakPagesHeld).toBeLessThan(wideSearch.peakPagesHeld / 3)
    expect(narrowSearch.pagesHeld).toBe(0)
    // The windows share fetch rounds: what one window fetched for the next is kept, nothing is fetched twice.
    expect(narrow.stats.requests).toBe(wide.stats.requests)
    expect(narrow.stats.bytesRead).toBe(wide.stats.bytesRead)

    const roundsSearch = await BlockSearch.open(store, 'bench', meta, some, { readWindowBytes: 64 * 1024, fetchRoundBytes: 64 * 1024 })
    const rounds = await roundsSearch.find(some)
    expect(rounds.found).toEqual(wide.found)
    expect(rounds.stats.requests).toBeGreaterThan(wide.stats.requests)
    expect(rounds.stats.bytesRead).toBeLessThan(wide.stats.bytesRead * 1.05)
  })
})
