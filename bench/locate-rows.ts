import { FsStore } from '../functions/adapters/fs-store.js'
import type { BlockMeta } from '../functions/core/blocks/block-meta.js'
import { resolveFormat } from '../functions/core/formats/registry.js'
import { BlockObjects, TempoLayout } from '../functions/core/storage/layout.js'
import { ParquetBlockFile } from '../functions/core/parquet/block-file.js'
import type { LeafColumn } from '../functions/core/parquet/columns.js'
import { locateTraceRows, type RowLocation } from '../functions/core/parquet/locate.js'
import { selectLeaves } from '../functions/core/parquet/read-rows.js'
import { bytesToLatin1 } from '../functions/core/parquet/latin1.js'
import { parseTraceId } from '../functions/core/contract/trace-id.js'
import { listBlocks } from './common.js'

/** Where the wanted rows of one block are, and the leaves our reader decodes for them. */
export interface BlockRows {
  meta: BlockMeta
  file: ParquetBlockFile
  key: string
  leaves: LeafColumn[]
  /** Wanted IDs (32 hex) held by this block, with their rows. */
  rows: { id: string; location: RowLocation }[]
}

/** Locate the IDs in every block with the project's core, uncounted: set-up for scenarios 4 and 5. */
export async function locateWantedRows(root: string, tenant: string, ids: readonly string[]): Promise<BlockRows[]> {
  const store = new FsStore(root)
  const layout = new TempoLayout('')
  const wanted = [...ids].sort().map((id) => ({ id, bytes: parseTraceId(id) }))
  const out: BlockRows[] = []
  for (const meta of await listBlocks(root, tenant)) {
    const key = layout.blockObject(tenant, meta.blockId, BlockObjects.data)
    const file = await ParquetBlockFile.open({ store, key, tenant, blockId: meta.blockId }, meta.size, meta.footerSize)
    const located = await locateTraceRows(file, wanted.map((w) => w.bytes))
    const rows = wanted.flatMap((w) => {
      const location = located.get(bytesToLatin1(w.bytes))
      return location ? [{ id: w.id, location }] : []
    })
    out.push({ meta, file, key, leaves: selectLeaves(file, resolveFormat(meta).wantsColumn), rows })
  }
  return out
}
