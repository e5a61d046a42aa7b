import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { ParquetBlockFile } from '../../functions/core/parquet/block-file.js'
import type { ObjectStore } from '../../functions/core/storage/object-store.js'
import { tempoBlocksDir, tempoGeneratedDir } from '../support/shared-fixtures.js'

/** A fixture block directory read in place. */
export interface FixtureBlock {
  label: string
  dir: string
  meta: { size?: number; footerSize?: number; blockID: string; format: string; bloomShards?: number }
}

const CANONICAL = ['vParquet2', 'vParquet3', 'vParquet4', 'vparquet5-preview1', 'vParquet5-preview2', 'vParquet5-preview3', 'vParquet5-preview5']

function blockAt(label: string, dir: string): FixtureBlock {
  const metaFile = existsSync(join(dir, 'meta.json')) ? 'meta.json' : 'meta.compacted.json'
  return { label, dir, meta: JSON.parse(readFileSync(join(dir, metaFile), 'utf8')) }
}

/** The canonical Tempo repository test blocks (one row group each). */
export function canonicalBlocks(): FixtureBlock[] {
  return CANONICAL.map((format) => {
    const tenantDir = join(tempoBlocksDir, format, 'single-tenant')
    const id = readdirSync(tenantDir)[0]!
    return blockAt(format, join(tenantDir, id))
  })
}

/** The first `perFormat` blocks (directory order) of each tempo-generated correctness format, single-tenant. */
export function generatedBlocks(perFormat: number): FixtureBlock[] {
  return ['vParquet3', 'vParquet4', 'vParquet5'].flatMap((format) => {
    const tenantDir = join(tempoGeneratedDir, 'correctness', format, 'single-tenant')
    return readdirSync(tenantDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
      .slice(0, perFormat)
      .map((id) => blockAt(`${format}/${id.slice(0, 8)}`, join(tenantDir, id)))
  })
}

/** The bench blocks (vParquet4, 3 row groups, several pages per span-level chunk). */
export function benchBlocks(): FixtureBlock[] {
  const tenantDir = join(tempoGeneratedDir, 'bench', 'vParquet4', 'bench')
  return readdirSync(tenantDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((id) => blockAt(`bench/${id.slice(0, 8)}`, join(tenantDir, id)))
}

/** The file's bytes as an ArrayBuffer for hyparquet's reference reader. */
export function fileBuffer(block: FixtureBlock): ArrayBuffer {
  const bytes = readFileSync(join(block.dir, 'data.parquet'))
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}

/** Every TraceID of the file in row order, read by hyparquet's full reader (the reference). */
export async function referenceTraceIds(file: ArrayBuffer): Promise<Uint8Array[]> {
  const rows = await parquetReadObjects({ file, utf8: false, columns: ['TraceID'], compressors })
  return rows.map((r) => r.TraceID as Uint8Array)
}

/** Open a fixture block's data.parquet through a store rooted at its directory. */
export function openBlockFile(block: FixtureBlock, store: ObjectStore = new FsStore(block.dir), gapBytes?: number): Promise<ParquetBlockFile> {
  return ParquetBlockFile.open({ store, key: 'data.parquet', tenant: 'single-tenant', blockId: block.meta.blockID }, block.meta.size ?? 0, block.meta.footerSize ?? 0, gapBytes)
}
