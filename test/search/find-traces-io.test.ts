import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parquetMetadata, readOffsetIndex } from 'hyparquet'
import { beforeAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { parseBlockMeta } from '../../functions/core/blocks/meta.js'
import type { BlockMeta } from '../../functions/core/blocks/block-meta.js'
import { bloomShardOf } from '../../functions/core/bloom/bloom-filter.js'
import { findTracesInBlock } from '../../functions/core/search/find-traces.js'
import { resolveFormat } from '../../functions/core/formats/registry.js'
import { selectLeaves } from '../../functions/core/parquet/read-rows.js'
import { coalesceRanges } from '../../functions/core/storage/coalesce.js'
import { CountingStore } from '../../functions/core/storage/counting-store.js'
import type { ByteRange } from '../../functions/core/storage/object-store.js'
import { compareBytes, traceIdToHex } from '../../functions/core/contract/trace-id.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoGeneratedDir } from '../support/shared-fixtures.js'
import { benchBlocks, fileBuffer, openBlockFile, referenceTraceIds, type FixtureBlock } from '../parquet/fixture-blocks.js'

sharedFixturesSkipNote('findTracesInBlock I/O')

const TENANT = 'bench'
const rootDir = join(tempoGeneratedDir, 'bench', 'vParquet4')
const sum = (ranges: ByteRange[]) => coalesceRanges(ranges, 0).reduce((n, r) => n + r.end - r.start, 0)

/**
 * The least a reader can fetch for one row, computed straight from the file (not from the reader's own
 * plan): for every column the format needs plus TraceID, the page holding the row and the chunk's
 * dictionary page; the page-index region; the footer; the bloom shard.
 */
async function byteFloor(block: FixtureBlock, meta: BlockMeta, fileRow: number, id: Uint8Array) {
  const bytes = new Uint8Array(readFileSync(join(block.dir, 'data.parquet')))
  const metadata = parquetMetadata(bytes)
  const file = await openBlockFile(block)
  const needed = new Set(selectLeaves(file, resolveFormat(meta).wantsColumn).map((l) => l.index))
  needed.add(file.leaf(['TraceID'])!.index)
  let group = 0
  let row = fileRow
  while (row >= Number(metadata.row_groups[group]!.num_rows)) row -= Number(metadata.row_groups[group++]!.num_rows)
  const rowGroup = metadata.row_groups[group]!
  const pages: ByteRange[] = []
  let pageCount = 0
  let dictionaryCount = 0
  let pageIndexStart = Infinity
  for (const rg of metadata.row_groups) for (const c of rg.columns) pageIndexStart = Math.min(pageIndexStart, Number(c.column_index_offset ?? Infinity), Number(c.offset_index_offset ?? Infinity))
  rowGroup.columns.forEach((chunk, i) => {
    if (!needed.has(i)) return
    const start = Number(chunk.offset_index_offset)
    const index = readOffsetIndex({ view: new DataView(bytes.buffer, bytes.byteOffset + start, chunk.offset_index_length!), offset: 0 })
    const locs = index.page_locations
    const p = locs.findLastIndex((loc) => Number(loc.first_row_index) <= row)
    pages.push({ start: Number(locs[p]!.offset), end: Number(locs[p]!.offset) + locs[p]!.compressed_page_size })
    pageCount++
    const dict = chunk.meta_data!.dictionary_page_offset
    if (dict !== undefined) {
      pages.push({ start: Number(dict), end: Number(locs[0]!.offset) })
      dictionaryCount++
    }
  })
  const footer = meta.footerSize + 8
  const pageIndex = bytes.length - footer - pageIndexStart
  const bloom = readFileSync(join(block.dir, `bloom-${bloomShardOf(id, meta.bloomShards)}`)).length
  return { floor: sum(pages) + pageIndex + footer + bloom, pages: sum(pages), pageCount, dictionaryCount, pageIndex, footer, bloom, rowGroups: metadata.row_groups.length }
}

describe.skipIf(!hasSharedFixtures)('findTracesInBlock I/O on a bench block (3 row groups, several pages per span chunk)', () => {
  let block: FixtureBlock
  let meta: BlockMeta
  let ids: Uint8Array[]
  beforeAll(async () => {
    block = benchBlocks()[0]!
    meta = parseBlockMeta(block.meta)
    ids = await referenceTraceIds(fileBuffer(block))
  })

  it('one ID: at most 4 sequential round trips and no byte beyond the pages holding the row + footer + page index + bloom shard', async () => {
    const fileRow = ids.length - 5 // in the last row group
    const id = ids[fileRow]!
    const floor = await byteFloor(block, meta, fileRow, id)
    expect(floor.rowGroups).toBe(3)
    const store = new CountingStore(new FsStore(rootDir))
    const result = await findTracesInBlock(store, TENANT, meta, [id], { coalesceGapBytes: 0 })
    expect(result.error).toBeUndefined()
    expect([...result.found.keys()]).toEqual([traceIdToHex(id)])
    const counts = store.counts()
    expect(counts.rounds).toBeLessThanOrEqual(4)
    expect(counts.bytesRead).toBeLessThanOrEqual(floor.floor)
    // Reading almost nothing would also pass the bound: the pages of the row must really be there.
    expect(counts.bytesRead).toBeGreaterThanOrEqual(floor.pages + floor.footer + floor.bloom)
    expect(result.stats.bytesRead).toBe(counts.bytesRead)
    expect(result.stats.requests).toBe(counts.requests)
    // Decoded: exactly the pages holding the row (one per needed column) and their dictionaries.
    expect(result.stats.pagesDecoded).toBe(floor.pageCount + floor.dictionaryCount)
    expect(result.stats.rowsDecoded).toBe(1)
    console.info(`[bench 1 ID, gap 0] rounds ${counts.rounds}, requests ${counts.requests}, bytes ${counts.bytesRead} (floor ${floor.floor}: pages ${floor.pages}, page index ${floor.pageIndex}, footer ${floor.footer}, bloom ${floor.bloom}), pages decoded ${result.stats.pagesDecoded}, ms ${JSON.stringify(result.stats.phaseMs, (_, v) => (typeof v === 'number' ? Math.round(v) : v))}`)
  })

  it('one ID with the default coalescing gap: still at most 4 rounds, fewer requests', async () => {
    const id = ids[300]!
    const store = new CountingStore(new FsStore(rootDir))
    const result = await findTracesInBlock(store, TENANT, meta, [id])
    expect(result.found.has(traceIdToHex(id))).toBe(true)
    const counts = store.counts()
    expect(counts.rounds).toBeLessThanOrEqual(4)
    expect(counts.bytesRead).toBeLessThan(meta.size / 2)
    console.info(`[bench 1 ID, gap 64 KiB] rounds ${counts.rounds}, requests ${counts.requests}, bytes ${counts.bytesRead} of ${meta.size}`)
  })

  it('100 IDs: each bloom shard and the footer are read exactly once, all found, at most 4 rounds', async () => {
    const step = Math.floor(ids.length / 100)
    const wanted = Array.from({ length: 100 }, (_, i) => ids[i * step]!).sort(compareBytes)
    const store = new CountingStore(new FsStore(rootDir))
    const result = await findTracesInBlock(store, TENANT, meta, wanted)
    expect(result.error).toBeUndefined()
    expect(result.found.size).toBe(100)
    const dataKey = `${TENANT}/${meta.blockId}/data.parquet`
    const footerReads = store.requestsFor(dataKey).filter((r) => r.range?.end === meta.size)
    expect(footerReads).toHaveLength(1)
    const shards = new Set(wanted.map((id) => bloomShardOf(id, meta.bloomShards)))
    for (const shard of shards) expect(store.requestsFor(`${TENANT}/${meta.blockId}/bloom-${shard}`)).toHaveLength(1)
    expect(store.log.filter((r) => r.key.includes('/bloom-'))).toHaveLength(shards.size)
    expect(store.counts().rounds).toBeLessThanOrEqual(4)
    expect(result.stats.rowsDecoded).toBe(100)
    console.info(`[bench 100 IDs] rounds ${store.counts().rounds}, requests ${store.counts().requests}, bytes ${store.counts().bytesRead} of ${meta.size}, pages decoded ${result.stats.pagesDecoded}, ms ${JSON.stringify(result.stats.phaseMs, (_, v) => (typeof v === 'number' ? Math.round(v) : v))}`)
  })
})
