import { parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { describe, expect, it } from 'vitest'
import { locateTraceRows } from '../../functions/core/parquet/locate.js'
import { bytesToLatin1 } from '../../functions/core/parquet/latin1.js'
import { readRows, readRowsEach, selectLeaves } from '../../functions/core/parquet/read-rows.js'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'
import { benchBlocks, canonicalBlocks, fileBuffer, generatedBlocks, openBlockFile, referenceTraceIds, type FixtureBlock } from './fixture-blocks.js'

sharedFixturesSkipNote('parquet row reader')

/** First, middle and last row of the file plus first and last row of every row group. */
function sampleRows(groupSizes: number[]): number[] {
  const rows = new Set<number>()
  let start = 0
  for (const size of groupSizes) {
    rows.add(start)
    rows.add(start + size - 1)
    start += size
  }
  rows.add(Math.floor(start / 2))
  return [...rows].sort((a, b) => a - b)
}

async function checkRows(block: FixtureBlock, topLevel?: string[]) {
  const buffer = fileBuffer(block)
  const ids = await referenceTraceIds(buffer)
  const file = await openBlockFile(block)
  const groupSizes = file.footer.metadata.row_groups.map((rg) => Number(rg.num_rows))
  const rows = sampleRows(groupSizes)
  const wants = topLevel ? (path: readonly string[]) => topLevel.includes(path[0]!) : () => true
  const leaves = selectLeaves(file, wants)
  const located = await locateTraceRows(file, rows.map((r) => ids[r]!), { prefetchOffsetIndexesOf: leaves })
  const locations = rows.map((r) => located.get(bytesToLatin1(ids[r]!))!)
  expect(locations.map((l) => l?.fileRow)).toEqual(rows)
  const actual = await readRows(file, locations, leaves)
  for (const [i, row] of rows.entries()) {
    const [expected] = await parquetReadObjects({ file: buffer, utf8: false, rowStart: row, rowEnd: row + 1, compressors, ...(topLevel ? { columns: topLevel } : {}) })
    expect(actual[i], `${block.label} row ${row}`).toEqual(expected)
  }
  expect(file.counters.rowsDecoded).toBe(rows.length)
  return { file, rows }
}

describe.skipIf(!hasSharedFixtures)('readRows equals hyparquet parquetReadObjects({ utf8: false })', () => {
  for (const block of hasSharedFixtures ? canonicalBlocks() : []) {
    it(`canonical ${block.label}: sampled rows, all columns`, async () => {
      await checkRows(block)
    })
  }

  for (const block of hasSharedFixtures ? generatedBlocks(2) : []) {
    it(`generated ${block.label}: rows from several row groups, all columns`, async () => {
      const { file } = await checkRows(block)
      expect(file.footer.metadata.row_groups.length).toBeGreaterThan(1)
    })
  }

  it('a subset of top-level columns gives the same objects as `columns`', async () => {
    const [block] = generatedBlocks(1)
    await checkRows(block!, ['TraceID', 'rs'])
    await checkRows(block!, ['TraceIDText', 'StartTimeUnixNano'])
  })

  it('reads a partial set of leaves inside nested groups (pruned assembly)', async () => {
    const block = canonicalBlocks().find((b) => b.label === 'vParquet4')!
    const buffer = fileBuffer(block)
    const ids = await referenceTraceIds(buffer)
    const file = await openBlockFile(block)
    const spanIdOnly = (path: readonly string[]) => path.join('.') === 'rs.list.element.ss.list.element.Spans.list.element.SpanID'
    const leaves = selectLeaves(file, spanIdOnly)
    expect(leaves.map((l) => l.path.join('.'))).toEqual(['rs.list.element.ss.list.element.Spans.list.element.SpanID'])
    const located = await locateTraceRows(file, [ids[5]!])
    const [row] = await readRows(file, [...located.values()], leaves)
    const [full] = await parquetReadObjects({ file: buffer, utf8: false, rowStart: 5, rowEnd: 6, columns: ['rs'] })
    type Full = { rs: { ss: { Spans: { SpanID: Uint8Array }[] }[] }[] }
    const expected = (full as Full).rs.map((rs) => ({ ss: rs.ss.map((ss) => ({ Spans: ss.Spans.map((s) => ({ SpanID: s.SpanID })) })) }))
    expect(row).toEqual({ rs: expected })
  })
})

describe.skipIf(!hasSharedFixtures)('readRows across page and row-group boundaries (bench block, several pages per chunk)', () => {
  it('a window of rows crossing SpanID/attribute page boundaries and a row group, whole and every third row', async () => {
    const [block] = benchBlocks()
    const buffer = fileBuffer(block!)
    const ids = await referenceTraceIds(buffer)
    const file = await openBlockFile(block!)
    const leaves = selectLeaves(file, () => true)
    // Rows 225-284: SpanID and attribute Key pages of row group 0 start at rows 232 and 267; group 1 at 278.
    const [start, end] = [225, 285]
    expect(file.rowGroupStarts).toContain(278)
    const expected = await parquetReadObjects({ file: buffer, utf8: false, rowStart: start, rowEnd: end, compressors })
    const window = Array.from({ length: end - start }, (_, i) => start + i)
    for (const rows of [window, window.filter((r) => r % 3 === 0)]) {
      const located = await locateTraceRows(file, rows.map((r) => ids[r]!), { prefetchOffsetIndexesOf: leaves })
      const actual = await readRows(file, rows.map((r) => located.get(bytesToLatin1(ids[r]!))!), leaves)
      rows.forEach((row, i) => expect(actual[i], `row ${row}`).toEqual(expected[row - start]))
    }
    const spanId = file.leaves.find((l) => l.path.at(-1) === 'SpanID' && l.path.includes('Spans'))!
    expect(file.pageSpans(0, spanId).map((s) => s.firstRow)).toContain(232)
  }, 60_000)
})

describe.skipIf(!hasSharedFixtures)('readRowsEach', () => {
  it('hands each row over once, in file order, with its position among the locations given (unsorted input)', async () => {
    const [block] = generatedBlocks(1)
    const buffer = fileBuffer(block!)
    const ids = await referenceTraceIds(buffer)
    const file = await openBlockFile(block!)
    const leaves = selectLeaves(file, (path) => path[0] === 'TraceID' || path[0] === 'rs')
    const rows = [ids.length - 1, 0, 7, 3]
    const located = await locateTraceRows(file, rows.map((r) => ids[r]!))
    const seen: { index: number; traceId: unknown }[] = []
    await readRowsEach(file, rows.map((r) => located.get(bytesToLatin1(ids[r]!))!), leaves, (row, index) => seen.push({ index, traceId: row.TraceID }))
    expect(seen.map((s) => s.index)).toEqual([1, 3, 2, 0])
    for (const { index, traceId } of seen) expect(traceId).toEqual(ids[rows[index]!])
  })
})
