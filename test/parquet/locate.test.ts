import { describe, expect, it } from 'vitest'
import { bytesToLatin1 } from '../../functions/core/parquet/latin1.js'
import { locateTraceRows } from '../../functions/core/parquet/locate.js'
import { parseTraceId } from '../../functions/core/contract/trace-id.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { CountingStore } from '../../functions/core/storage/counting-store.js'
import { CorruptBlockError } from '../../functions/core/contract/errors.js'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'
import { canonicalBlocks, fileBuffer, generatedBlocks, openBlockFile, referenceTraceIds } from './fixture-blocks.js'

sharedFixturesSkipNote('parquet locate')

const ABSENT = ['5b8efff798038103d269b633813fc60c', '00000000000000000000000000000000', 'ffffffffffffffffffffffffffffffff'].map((h) => parseTraceId(h))

describe.skipIf(!hasSharedFixtures)('locateTraceRows', () => {
  const blocks = hasSharedFixtures ? [...canonicalBlocks(), ...generatedBlocks(3)] : []
  for (const block of blocks) {
    it(`${block.label}: every TraceID at its true row, absent IDs nowhere`, async () => {
      const ids = await referenceTraceIds(fileBuffer(block))
      const file = await openBlockFile(block)
      const sorted = [...ids, ...ABSENT].sort((a, b) => (bytesToLatin1(a) < bytesToLatin1(b) ? -1 : 1))
      const located = await locateTraceRows(file, sorted)
      expect(located.size).toBe(new Set(ids.map(bytesToLatin1)).size)
      ids.forEach((id, row) => {
        const loc = located.get(bytesToLatin1(id))
        expect(loc?.fileRow, `${block.label} row ${row}`).toBe(row)
        expect(file.rowGroupStarts[loc!.rowGroup]! + loc!.row).toBe(row)
      })
      for (const id of ABSENT) expect(located.has(bytesToLatin1(id))).toBe(false)
    })
  }

  it('page-index path (no whole-chunk shortcut) finds the same rows and decodes only candidate pages', async () => {
    for (const block of generatedBlocks(2)) {
      const ids = await referenceTraceIds(fileBuffer(block))
      const file = await openBlockFile(block, undefined, 0)
      const picked = [ids[1]!, ids.at(-2)!]
      const located = await locateTraceRows(file, picked, { fetchWholeSmallChunks: false })
      expect(picked.map((id) => located.get(bytesToLatin1(id))?.fileRow)).toEqual([1, ids.length - 2])
      // At most one TraceID page per ID (bench and correctness chunks hold one page per row group).
      expect(file.counters.pagesDecoded).toBeLessThanOrEqual(2)
    }
  })

  it('decodes no TraceID page when the chunk statistics exclude every ID', async () => {
    const block = generatedBlocks(1)[0]!
    const file = await openBlockFile(block)
    const located = await locateTraceRows(file, [ABSENT[2]!])
    expect(located.size).toBe(0)
    expect(file.counters.pagesDecoded).toBe(0)
  })

  it('reads the footer in one GET when the meta knows size and footerSize, else HEAD and/or the 8-byte trailer first', async () => {
    const block = canonicalBlocks()[2]!
    const bytes = new Uint8Array(readFileSync(join(block.dir, 'data.parquet')))
    const cases = [
      { size: block.meta.size!, footerSize: block.meta.footerSize!, requests: ['get'] },
      { size: block.meta.size!, footerSize: 0, requests: ['get', 'get'] },
      { size: 0, footerSize: 0, requests: ['head', 'get', 'get'] },
    ]
    for (const c of cases) {
      const memory = new MemoryStore()
      memory.set('data.parquet', bytes)
      const counting = new CountingStore(memory)
      const file = await openBlockFile({ ...block, meta: { ...block.meta, size: c.size, footerSize: c.footerSize } }, counting)
      expect(counting.log.map((r) => r.kind)).toEqual(c.requests)
      expect(counting.log.at(-1)!.range).toEqual({ start: bytes.length - 8 - block.meta.footerSize!, end: bytes.length })
      expect(file.footer.metadata.num_rows).toBe(134n)
    }
  })

  it('reports a truncated or garbage footer as CorruptBlockError naming tenant and block', async () => {
    const block = canonicalBlocks()[2]!
    const bytes = new Uint8Array(readFileSync(join(block.dir, 'data.parquet')))
    const truncated = new MemoryStore()
    truncated.set('data.parquet', bytes.subarray(0, bytes.length - 100))
    const error = await openBlockFile(block, truncated).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CorruptBlockError)
    expect((error as CorruptBlockError).message).toContain(`single-tenant/${block.meta.blockID}`)
    const garbage = new MemoryStore()
    const damaged = bytes.slice()
    damaged.fill(0x17, damaged.length - 8 - (block.meta.footerSize ?? 0), damaged.length - 8)
    garbage.set('data.parquet', damaged)
    await expect(openBlockFile(block, garbage)).rejects.toBeInstanceOf(CorruptBlockError)
  })
})
