import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { columnDecoder } from '../../functions/core/parquet/columns.js'
import { decodeDataPage, decodeDictionaryPage, readPageHeader } from '../../functions/core/parquet/page-decoder.js'
import { LevelRun } from '../../functions/core/parquet/page-levels.js'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'
import { generatedBlocks, openBlockFile } from './fixture-blocks.js'

sharedFixturesSkipNote('parquet page decoder')

describe('hyparquet internals', () => {
  it('is the exact version whose internals (src/column, datapage, convert, assemble, plain) this reader was written against', () => {
    const entry = createRequire(import.meta.url).resolve('hyparquet')
    const version = (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version
    // Upgrading hyparquet: re-run test/parquet (row equality) and check the internal signatures, then bump this.
    expect(version).toBe('1.33.0')
  })
})

describe.skipIf(!hasSharedFixtures)('decodeDataPage', () => {
  it('does not decompress a DATA_PAGE_V2 with is_compressed=false inside a SNAPPY chunk (Tempo dictionary pages)', async () => {
    const block = generatedBlocks(1).find((b) => b.label.startsWith('vParquet4')) ?? generatedBlocks(3).find((b) => b.label.startsWith('vParquet4'))!
    const bytes = new Uint8Array(readFileSync(join(block.dir, 'data.parquet')))
    const file = await openBlockFile(block)
    let checked = 0
    let values = 0
    for (const leaf of file.leaves) {
      const meta = file.footer.metadata.row_groups[0]!.columns[leaf.index]!.meta_data!
      if (meta.codec !== 'SNAPPY' || meta.dictionary_page_offset === undefined) continue
      const dataOffset = Number(meta.data_page_offset)
      const { header } = readPageHeader(bytes.subarray(dataOffset))
      if (header.data_page_header_v2?.encoding !== 'RLE_DICTIONARY') continue
      expect(header.data_page_header_v2.is_compressed).toBe(false)
      const decoder = columnDecoder(leaf, meta.codec)
      const dictionary = decodeDictionaryPage(bytes.subarray(Number(meta.dictionary_page_offset), dataOffset), leaf, decoder)
      // Any attempt to snappy-decompress the data page would now throw.
      const refusing = { ...decoder, compressors: { SNAPPY: () => { throw new Error('must not decompress') } } }
      const { page } = decodeDataPage(bytes.subarray(dataOffset), leaf, refusing, dictionary, 0)
      const levels = new LevelRun()
      page.levels.readRows(0, page.rowCount, levels)
      const out: unknown[] = []
      page.values.read(0, levels.values, out, 0)
      values += out.length
      checked++
    }
    expect(checked).toBeGreaterThan(5)
    expect(values).toBeGreaterThan(0)
  })
})
