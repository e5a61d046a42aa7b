import type { BlockMeta } from './block-meta.js'
import { CorruptBlockError, ObjectNotFoundError } from '../contract/errors.js'
import { BlockObjects, type TempoLayout } from '../storage/layout.js'
import type { ObjectStore } from '../storage/object-store.js'
import { parseBlockMeta } from './meta.js'

/**
 * Read one block's meta: `meta.json`, or `meta.compacted.json` when the block is compacted (its
 * compacted time is the object's LastModified, as Tempo takes it). Parse errors are `CorruptBlockError`.
 */

/** Read and parse `meta.json` (or `meta.compacted.json` with `compacted`); throws `ObjectNotFoundError`. */
export async function readMetaObject(store: ObjectStore, layout: TempoLayout, tenant: string, blockId: string, compacted: boolean, lastModified?: Date): Promise<BlockMeta> {
  const key = layout.blockObject(tenant, blockId, compacted ? BlockObjects.compactedMeta : BlockObjects.meta)
  const bytes = await store.get(key)
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder().decode(bytes))
  } catch (error) {
    throw new CorruptBlockError(tenant, blockId, `${compacted ? BlockObjects.compactedMeta : BlockObjects.meta} is not valid JSON`, { cause: error })
  }
  if (compacted && !lastModified) lastModified = (await store.head(key)).lastModified
  return parseBlockMeta(json, { compacted, lastModified, location: { tenant, blockId } })
}

/** A block's meta, live first then compacted; `undefined` when the block has neither. */
export async function readBlockMeta(store: ObjectStore, layout: TempoLayout, tenant: string, blockId: string): Promise<BlockMeta | undefined> {
  for (const compacted of [false, true]) {
    try {
      return await readMetaObject(store, layout, tenant, blockId, compacted)
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError)) throw error
    }
  }
  return undefined
}
