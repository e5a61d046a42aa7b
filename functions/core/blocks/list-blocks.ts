import { BlockObjects, isBlockId } from '../storage/layout.js'
import type { ObjectStore } from '../storage/object-store.js'

/**
 * One pass over a tenant's keys, as Tempo's `ListBlocks` does: keep `<uuid>/meta.json` (live) and
 * `<uuid>/meta.compacted.json` (compacted, with its LastModified), and remember every other block
 * directory so incomplete blocks can be reported. Large tenants are listed as several block-ID ranges
 * concurrently (`StartAfter`), like Tempo's `list_blocks_concurrency`.
 */

/** What the listing saw of one block directory. */
export interface ListedBlock {
  hasMeta: boolean
  hasCompactedMeta: boolean
  /** LastModified of `meta.compacted.json` = Tempo's compacted time. */
  compactedAt?: Date
}

const HEX_DIGITS = '0123456789abcdef'

/** Block directories below `prefix` (which ends in `/`), keyed by block ID. */
export async function listTenantBlocks(store: ObjectStore, prefix: string, concurrency = 4): Promise<Map<string, ListedBlock>> {
  const ranges = Math.max(1, Math.min(16, Math.floor(concurrency)))
  // Range i covers block IDs whose first hex digit is in [bounds[i], bounds[i+1]); the first range also
  // sees anything sorting before '0', the last anything after 'f' (tenant-level objects such as the index).
  const bounds = Array.from({ length: ranges }, (_, i) => HEX_DIGITS[Math.floor((16 * i) / ranges)]!)
  const parts = await Promise.all(
    bounds.map((bound, i) => listRange(store, prefix, i === 0 ? undefined : prefix + bound, i + 1 < ranges ? prefix + bounds[i + 1]! : undefined)),
  )
  const all = new Map<string, ListedBlock>()
  for (const part of parts) for (const [id, block] of part) all.set(id, block)
  return all
}

async function listRange(store: ObjectStore, prefix: string, startAfter: string | undefined, endBefore: string | undefined): Promise<Map<string, ListedBlock>> {
  const listed = new Map<string, ListedBlock>()
  for await (const object of store.list(prefix, startAfter === undefined ? undefined : { startAfter })) {
    if (endBefore !== undefined && object.key >= endBefore) break
    // A store must not return keys outside the prefix; never follow one that does.
    if (!object.key.startsWith(prefix)) continue
    const parts = object.key.slice(prefix.length).split('/')
    const blockId = parts[0]!
    if (parts.length < 2 || !isBlockId(blockId)) continue
    let block = listed.get(blockId)
    if (!block) {
      block = { hasMeta: false, hasCompactedMeta: false }
      listed.set(blockId, block)
    }
    if (parts.length !== 2) continue
    if (parts[1] === BlockObjects.meta) block.hasMeta = true
    else if (parts[1] === BlockObjects.compactedMeta) {
      block.hasCompactedMeta = true
      if (object.lastModified) block.compactedAt = object.lastModified
    }
  }
  return listed
}
