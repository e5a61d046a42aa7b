import type { BlockMeta } from '../blocks/block-meta.js'
import { BlockSearch, type BlockSearchOptions, type BlockSearchResult } from './block-search.js'
import type { ObjectStore } from '../storage/object-store.js'

/**
 * Find `ids` (sorted, distinct, 16 bytes each) in one block in one go: the bloom shards the IDs hash to
 * (each once), then data.parquet's footer (one GET), the TraceID page index and pages, then only the
 * pages holding the found rows, which are converted with the block's format (see `BlockSearch`, which
 * also serves callers that read the rows in several steps). Never throws for a block problem: a missing
 * object, corrupt file or bad bloom becomes `error` and leaves other blocks alone. Aborting rejects.
 */
export async function findTracesInBlock(
  store: ObjectStore,
  tenant: string,
  meta: BlockMeta,
  ids: Uint8Array[],
  options: BlockSearchOptions = {},
): Promise<BlockSearchResult> {
  const search = await BlockSearch.open(store, tenant, meta, ids, options)
  return search.find(ids)
}
