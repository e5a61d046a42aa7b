import { describe, expect, it } from 'vitest'
import { parquetMetadata, parquetReadObjects, readColumnIndex, readOffsetIndex } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { ParquetFileWriter } from '../../functions/generator/parquet/file-writer.js'
import { group, leaf, list, map, type MessageSchema } from '../../functions/generator/parquet/schema.js'

const schema: MessageSchema = {
  name: 'Row',
  children: [
    leaf('Id', 'BYTE_ARRAY', undefined),
    leaf('Name', 'BYTE_ARRAY', 'STRING', { dict: true, codec: 'SNAPPY' }),
    leaf('Start', 'INT64', 'UINT64', { delta: true }),
    leaf('Small', 'INT32', 'INT32', { delta: true, codec: 'SNAPPY' }),
    leaf('Opt', 'BYTE_ARRAY', 'STRING', { codec: 'ZSTD' }, 'OPTIONAL'),
    map('Stats', leaf('key', 'BYTE_ARRAY', 'STRING'), group('value', [leaf('Count', 'INT32', 'UINT32', { delta: true })])),
    list(
      'Items',
      group('element', [
        leaf('Flag', 'BOOLEAN', undefined),
        leaf('Score', 'DOUBLE', undefined),
        list('Tags', leaf('element', 'BYTE_ARRAY', 'STRING', { dict: true })),
        leaf('Plain', 'INT64', 'INT64', {}, 'OPTIONAL'),
      ]),
    ),
    group('Rep', [leaf('Vals', 'INT64', 'INT64', { codec: 'SNAPPY' }, 'REPEATED')], 'REPEATED'),
  ],
}

function makeRow(i: number) {
  const id = new Uint8Array(16)
  new DataView(id.buffer).setUint32(12, i * 7919)
  return {
    Id: id,
    Name: `name-${i % 5}`,
    Start: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_003n + (i % 3 === 0 ? 18_000_000_000_000_000_000n - 1_700_000_000_000_000_000n : 0n),
    Small: (i % 7) - 3,
    Opt: i % 4 === 0 ? null : `opt ✓ ${'x'.repeat(i % 40)} ${i}`,
    Stats: i % 6 === 0 ? [] : [{ key: 'svc-a', value: { Count: i } }, { key: 'svc-b', value: { Count: 4_000_000_000 } }],
    Items: Array.from({ length: i % 4 }, (_, k) => ({
      Flag: (i + k) % 2 === 0,
      Score: k === 2 ? Number.NaN : i / (k + 1),
      Tags: Array.from({ length: k }, (_, t) => `tag${t}`),
      Plain: k === 1 ? null : BigInt(-i * 1000 - k),
    })),
    Rep: i % 5 === 0 ? [] : [{ Vals: [BigInt(i)] }, { Vals: [] }, { Vals: [-1n, 9_223_372_036_854_775_807n] }],
  }
}

function writeFile(rows: unknown[], rowGroupBytes: number, pageBytes: number): { file: ArrayBuffer; result: ReturnType<ParquetFileWriter['finish']> } {
  const parts: Uint8Array[] = []
  const w = new ParquetFileWriter(schema, { rowGroupBytes, pageBytes, createdBy: 'test', sink: (b) => parts.push(b.slice()) })
  for (const r of rows) w.writeRow(r)
  const result = w.finish()
  const file = Buffer.concat(parts)
  return { file: file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength), result }
}

describe('parquet writer', () => {
  const rows = Array.from({ length: 700 }, (_, i) => makeRow(i))

  it('writes a file hyparquet reads back value for value (several row groups and pages)', async () => {
    const { file, result } = writeFile(rows, 20_000, 2_000)
    expect(result.rowGroups.length).toBeGreaterThan(2)
    expect(result.size).toBe(file.byteLength)
    const md = parquetMetadata(file)
    expect(Number(md.num_rows)).toBe(rows.length)
    const back = await parquetReadObjects({ file, utf8: false, compressors })
    expect(back.length).toBe(rows.length)
    for (let i = 0; i < rows.length; i++) {
      const want = rows[i]!
      const got = back[i]!
      expect(new Uint8Array(got.Id)).toEqual(want.Id)
      expect(got.Name).toBe(want.Name)
      expect(BigInt.asUintN(64, got.Start)).toBe(BigInt.asUintN(64, want.Start))
      expect(got.Small).toBe(want.Small)
      expect(got.Opt ?? null).toBe(want.Opt)
      expect(got.Stats).toEqual(Object.fromEntries(want.Stats.map((s) => [s.key, { Count: s.value.Count }])))
      expect(got.Items.length).toBe(want.Items.length)
      want.Items.forEach((it, k) => {
        expect(got.Items[k].Flag).toBe(it.Flag)
        expect(got.Items[k].Score).toEqual(it.Score)
        expect(got.Items[k].Tags).toEqual(it.Tags)
        expect(got.Items[k].Plain ?? null).toBe(it.Plain)
      })
      expect(got.Rep.map((r: { Vals: bigint[] }) => r.Vals)).toEqual(want.Rep.map((r) => r.Vals))
    }
  })

  it('writes a ColumnIndex and an OffsetIndex for every chunk, pages at row boundaries', () => {
    const { file } = writeFile(rows, 20_000, 2_000)
    const md = parquetMetadata(file)
    const view = new DataView(file)
    let firstRow = 0
    let multiPage = 0
    for (const rg of md.row_groups) {
      for (const [ci, col] of rg.columns.entries()) {
        expect(col.column_index_offset).toBeDefined()
        expect(col.offset_index_offset).toBeDefined()
        const oi = readOffsetIndex({ view, offset: Number(col.offset_index_offset) })
        const cidx = readColumnIndex({ view, offset: Number(col.column_index_offset) }, md.schema.filter((s) => s.type)[ci]!)
        expect(oi.page_locations.length).toBe(cidx.null_pages.length)
        if (oi.page_locations.length > 1) multiPage++
        expect(Number(oi.page_locations[0]!.first_row_index)).toBe(0)
        const meta = col.meta_data!
        const firstPage = Number(meta.dictionary_page_offset ?? meta.data_page_offset)
        expect(Number(oi.page_locations[0]!.offset)).toBe(Number(meta.data_page_offset))
        const last = oi.page_locations[oi.page_locations.length - 1]!
        expect(Number(last.offset) + last.compressed_page_size).toBe(firstPage + Number(meta.total_compressed_size))
        for (let p = 1; p < oi.page_locations.length; p++) {
          const prev = oi.page_locations[p - 1]!
          expect(Number(oi.page_locations[p]!.offset)).toBe(Number(prev.offset) + prev.compressed_page_size)
          expect(Number(oi.page_locations[p]!.first_row_index)).toBeGreaterThan(Number(prev.first_row_index))
        }
      }
      firstRow += Number(rg.num_rows)
    }
    expect(firstRow).toBe(rows.length)
    expect(multiPage).toBeGreaterThan(0)
  })

  it('streams: row groups leave the writer before finish, so memory is bounded by one row group', () => {
    let emitted = 0
    const w = new ParquetFileWriter(schema, { rowGroupBytes: 20_000, pageBytes: 2_000, createdBy: 'test', sink: (b) => (emitted += b.length) })
    let closed = 0
    for (const r of rows) if (w.writeRow(r)) closed++
    expect(closed).toBeGreaterThan(2)
    const beforeFinish = emitted
    const result = w.finish()
    expect(beforeFinish).toBeGreaterThan(result.size / 2)
    expect(emitted).toBe(result.size)
  })

  it('records types, encodings, codecs and statistics like parquet-go', () => {
    const { file } = writeFile(rows, 1e9, 1e9)
    const md = parquetMetadata(file)
    const byPath = new Map(md.row_groups[0]!.columns.map((c) => [c.meta_data!.path_in_schema.join('.'), c.meta_data!]))
    expect(byPath.get('Id')!.encodings).toEqual(['DELTA_LENGTH_BYTE_ARRAY'])
    expect(byPath.get('Name')!.encodings).toEqual(['PLAIN', 'RLE_DICTIONARY'])
    expect(byPath.get('Name')!.codec).toBe('SNAPPY')
    expect(byPath.get('Start')!.encodings).toEqual(['DELTA_BINARY_PACKED'])
    expect(byPath.get('Opt')!.encodings).toEqual(['RLE', 'DELTA_LENGTH_BYTE_ARRAY'])
    expect(byPath.get('Opt')!.codec).toBe('ZSTD')
    expect(byPath.get('Items.list.element.Flag')!.encodings).toEqual(['PLAIN', 'RLE'])
    expect(byPath.get('Items.list.element.Tags.list.element')!.encodings).toEqual(['PLAIN', 'RLE', 'RLE_DICTIONARY'])
    expect(byPath.get('Small')!.statistics).toMatchObject({ min_value: -3, max_value: 3, null_count: 0n })
    expect(byPath.get('Opt')!.statistics!.null_count).toBe(175n)
    expect(byPath.get('Name')!.statistics).toMatchObject({ min_value: 'name-0', max_value: 'name-4' })
    // UINT64 statistics compare unsigned: the wrapped-around values are the maximum.
    expect(BigInt.asUintN(64, byPath.get('Start')!.statistics!.max_value as bigint)).toBe(18_000_000_000_000_000_000n + 699n * 1_000_003n)
    const names = md.schema.map((s) => s.name)
    expect(names.slice(0, 3)).toEqual(['Row', 'Id', 'Name'])
    expect(md.schema.find((s) => s.name === 'Start')).toMatchObject({ type: 'INT64', type_length: 64, converted_type: 'UINT_64', logical_type: { type: 'INTEGER', bitWidth: 64, isSigned: false } })
    expect(md.schema.find((s) => s.name === 'Items')).toMatchObject({ repetition_type: 'REQUIRED', converted_type: 'LIST', logical_type: { type: 'LIST' } })
  })
})
