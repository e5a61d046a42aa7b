import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { generateTenant } from '../../functions/generator/generate-tenant.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoBlocksDir, tempoGeneratedDir } from '../support/shared-fixtures.js'
import { writeDuckDbFiles } from './duckdb-files.js'
import { checkEveryPage, emptyCoverage } from './page-reference.js'

sharedFixturesSkipNote('page decoder against hyparquet')

/**
 * Our lazy page decoder against hyparquet's decoding of the same page, for every value of every page:
 * blocks our generator writes and files DuckDB writes (no shared fixtures needed), then every Tempo-written
 * block of the shared fixtures.
 */

function parquetFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) out.push(...parquetFiles(path))
    else if (entry.endsWith('.parquet')) out.push(path)
  }
  return out.sort()
}

const REQUIRED = ['PLAIN', 'RLE_DICTIONARY', 'DELTA_BINARY_PACKED', 'DELTA_LENGTH_BYTE_ARRAY'].flatMap((encoding) => [`DATA_PAGE ${encoding}`, `DATA_PAGE_V2 ${encoding}`])

describe('page decoder equals hyparquet on generated and DuckDB-written files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tempo-batch-pages-'))
  const coverage = emptyCoverage()
  let duckFiles: string[] = []
  beforeAll(async () => {
    for (const format of ['vParquet4', 'vParquet5'] as const) {
      // Small pages and row groups: many pages per chunk, rows straddling nothing (V2 pages end on rows).
      await generateTenant(new FsStore(join(dir, 'generated')), { tenant: format, format, seed: 11, blocks: 1, tracesPerBlock: 300, rowGroupBytes: 300_000, pageBytes: 8192 })
    }
    duckFiles = await writeDuckDbFiles(dir)
  }, 120_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('every page of blocks our generator writes (DATA_PAGE_V2; raw and snappy)', () => {
    const files = parquetFiles(join(dir, 'generated'))
    expect(files).toHaveLength(2)
    for (const file of files) checkEveryPage(new Uint8Array(readFileSync(file)), file.slice(dir.length), coverage)
  })

  it('every page of files DuckDB writes (DATA_PAGE; nested, nullable, many types; four codecs)', () => {
    for (const file of duckFiles) checkEveryPage(new Uint8Array(readFileSync(file)), file.slice(dir.length), coverage)
  })

  it('saw every encoding on both page versions, compressed and raw', () => {
    const seen = [...coverage.kinds]
    for (const kind of REQUIRED) expect(seen.some((k) => k.startsWith(`${kind} `) || k === kind), `no ${kind} page`).toBe(true)
    for (const type of ['DATA_PAGE', 'DATA_PAGE_V2']) {
      for (const how of ['raw', 'compressed']) expect(seen.some((k) => k.startsWith(`${type} `) && k.endsWith(` ${how}`)), `no ${how} ${type}`).toBe(true)
    }
    expect(coverage.values).toBeGreaterThan(100_000)
  })
})

describe.skipIf(!hasSharedFixtures)('page decoder equals hyparquet on every Tempo-written fixture block', () => {
  const coverage = emptyCoverage()
  const roots = hasSharedFixtures ? [tempoBlocksDir, join(tempoGeneratedDir, 'correctness'), join(tempoGeneratedDir, 'bench')] : []
  for (const root of roots) {
    it(`every page of every block under ${root.slice(tempoBlocksDir.length - 'tempo-blocks'.length)}`, () => {
      const files = parquetFiles(root)
      expect(files.length).toBeGreaterThan(5)
      for (const file of files) checkEveryPage(new Uint8Array(readFileSync(file)), file.slice(root.length), coverage)
    }, 600_000)
  }

  it('saw every encoding Tempo writes, compressed and raw', () => {
    const seen = [...coverage.kinds]
    for (const encoding of ['PLAIN', 'RLE_DICTIONARY', 'DELTA_BINARY_PACKED', 'DELTA_LENGTH_BYTE_ARRAY']) expect(seen.some((k) => k.startsWith(`DATA_PAGE_V2 ${encoding} `)), encoding).toBe(true)
    expect(seen).toContain('DATA_PAGE_V2 RLE_DICTIONARY raw')
    expect(seen).toContain('DATA_PAGE_V2 DELTA_LENGTH_BYTE_ARRAY compressed')
  })
})
