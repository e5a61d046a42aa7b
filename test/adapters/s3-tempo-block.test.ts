import { readFile, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { parquetMetadata, parquetMetadataAsync, parquetReadObjects } from 'hyparquet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import type { S3Store } from '../../functions/adapters/s3-store.js'
import { parseBlockMeta } from '../../functions/core/blocks/meta.js'
import { findTracesInBlock } from '../../functions/core/search/find-traces.js'
import { BlockObjects, TempoLayout } from '../../functions/core/storage/layout.js'
import { compareBytes, parseTraceId } from '../../functions/core/contract/trace-id.js'
import type { ObjectInfo } from '../../functions/core/storage/object-store.js'
import { startFauxqs, type FauxqsHandle } from '../support/fauxqs.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoGeneratedDir } from '../support/shared-fixtures.js'

sharedFixturesSkipNote('s3-tempo-block')

const formatDir = join(tempoGeneratedDir, 'correctness', 'vParquet4')
const tenant = 'single-tenant'
const blockId = '404b1402-bf44-5996-9ee7-eb9c8161caab'
const blockDir = join(formatDir, tenant, blockId)

async function collect(items: AsyncIterable<ObjectInfo>): Promise<Array<{ key: string; size: number }>> {
  const out: Array<{ key: string; size: number }> = []
  for await (const { key, size } of items) out.push({ key, size })
  return out
}

describe.skipIf(!hasSharedFixtures)('a real Tempo block through S3Store (fauxqs)', () => {
  let fauxqs: FauxqsHandle
  let store: S3Store
  const layout = new TempoLayout('')

  beforeAll(async () => {
    fauxqs = await startFauxqs()
    await fauxqs.createBucket('tempo')
    // The whole tenant, under a backend prefix, as Tempo's S3 backend with `prefix: traces` lays it out.
    const uploaded = await fauxqs.uploadDirectory(join(formatDir, tenant), 'tempo', `traces/${tenant}`)
    const blocks = await readdir(join(formatDir, tenant))
    expect(uploaded).toBeGreaterThan(blocks.length)
    store = fauxqs.openStore('tempo', 'traces')
  })
  afterAll(async () => {
    await fauxqs?.stop()
  })

  it('reads meta.json byte for byte', async () => {
    const bytes = await store.get(layout.blockObject(tenant, blockId, BlockObjects.meta))
    expect(Buffer.from(bytes).equals(await readFile(join(blockDir, 'meta.json')))).toBe(true)
    expect(JSON.parse(new TextDecoder().decode(bytes))).toMatchObject({ blockID: blockId, format: 'vParquet4' })
  })

  it('reads ranges of data.parquet equal to the file bytes: footer, first and last bytes, middle', async () => {
    const file = await readFile(join(blockDir, 'data.parquet'))
    const key = layout.blockObject(tenant, blockId, BlockObjects.data)
    const meta = JSON.parse(await readFile(join(blockDir, 'meta.json'), 'utf8')) as { size: number; footerSize: number }
    expect((await store.head(key)).size).toBe(file.length)
    expect(meta.size).toBe(file.length)
    const footerStart = file.length - 8 - meta.footerSize
    const ranges = [
      { start: 0, end: 4 },
      { start: file.length - 1, end: file.length },
      { start: footerStart, end: file.length },
      { start: 1000, end: 70_000 },
    ]
    for (const range of ranges) {
      const bytes = await store.get(key, range)
      expect(bytes.length).toBe(range.end - range.start)
      expect(Buffer.from(bytes).equals(file.subarray(range.start, range.end))).toBe(true)
    }
    expect(new TextDecoder().decode(await store.get(key, { start: file.length - 4, end: file.length }))).toBe('PAR1')
  })

  it('serves hyparquet a footer read over S3 equal to the local one', async () => {
    const key = layout.blockObject(tenant, blockId, BlockObjects.data)
    const size = (await store.head(key)).size
    let requests = 0
    const asyncBuffer = {
      byteLength: size,
      slice: async (start: number, end?: number) => {
        requests++
        const bytes = await store.get(key, { start, end: end ?? size })
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
      },
    }
    const remote = await parquetMetadataAsync(asyncBuffer)
    const file = await readFile(join(blockDir, 'data.parquet'))
    const local = parquetMetadata(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength))
    expect(remote.num_rows).toBe(local.num_rows)
    expect(remote.row_groups.length).toBe(local.row_groups.length)
    expect(remote.metadata_length).toBe(local.metadata_length)
    expect(requests).toBeGreaterThanOrEqual(1)
  })

  it('lists the tenant exactly as the filesystem store does (keys and sizes)', async () => {
    const viaS3 = await collect(store.list(`${tenant}/`))
    const viaFs = await collect(new FsStore(formatDir).list(`${tenant}/`))
    expect(viaS3).toEqual(viaFs)
    expect(viaS3.find((o) => o.key === `${tenant}/${blockId}/data.parquet`)?.size).toBe((await stat(join(blockDir, 'data.parquet'))).size)
  })

  it('lists the block folders of the tenant as the filesystem store does', async () => {
    const folders = await store.listFolders(layout.tenantPrefix(tenant))
    expect(folders).toContain(`${tenant}/${blockId}/`)
    expect(folders).toEqual(await new FsStore(formatDir).listFolders(`${tenant}/`))
  })

  it('finds every trace of the block through S3 exactly as through the filesystem, with the same reads', async () => {
    const file = await readFile(join(blockDir, 'data.parquet'))
    const rows = await parquetReadObjects({
      file: file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer,
      columns: ['TraceID'],
      utf8: false,
    })
    const present = rows.map((row) => row.TraceID as Uint8Array)
    const absent = [parseTraceId('5b8efff798038103d269b633813fc60c'), parseTraceId('ffffffffffffffffffffffffffffffff')]
    const ids = [...present, ...absent].sort(compareBytes)
    const meta = parseBlockMeta(JSON.parse(await readFile(join(blockDir, 'meta.json'), 'utf8')))

    const viaS3 = await findTracesInBlock(store, tenant, meta, ids)
    const viaFs = await findTracesInBlock(new FsStore(formatDir), tenant, meta, ids)
    expect(viaS3.error).toBeUndefined()
    expect(viaS3.found.size).toBe(present.length)
    expect([...viaS3.found.keys()]).toEqual([...viaFs.found.keys()])
    expect(viaS3.found).toEqual(viaFs.found)
    expect(viaS3.notFound).toEqual(viaFs.notFound)
    expect(viaS3.notFound.length).toBe(absent.length)
    expect(viaS3.stats.requests).toBe(viaFs.stats.requests)
    expect(viaS3.stats.bytesRead).toBe(viaFs.stats.bytesRead)
  })
})
