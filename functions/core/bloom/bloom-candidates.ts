import type { BlockMeta } from '../blocks/block-meta.js'
import { BlockObjects, type TempoLayout } from '../storage/layout.js'
import type { ObjectStore } from '../storage/object-store.js'
import { BloomFilter, bloomShardOf } from './bloom-filter.js'

/** What a block's bloom filter says of some IDs. */
export interface BloomVerdict {
  /** IDs that may be in the block, in the order given. */
  candidates: Uint8Array[]
  /** IDs the block certainly does not hold. */
  rejected: Uint8Array[]
  /** Shards that could not be read or parsed; their IDs are in neither list. */
  errors: unknown[]
}

/**
 * Test each ID against its bloom shard, fetching every needed shard once and all of them concurrently.
 * A missing or unreadable shard is an error for its own IDs only; aborting via `signal` rejects.
 */
export async function bloomCandidates(
  store: ObjectStore,
  layout: TempoLayout,
  tenant: string,
  meta: BlockMeta,
  ids: readonly Uint8Array[],
  signal?: AbortSignal,
): Promise<BloomVerdict> {
  // Tempo's default shard count, for metas written before the field existed.
  const shardCount = meta.bloomShards > 0 ? meta.bloomShards : 10
  const byShard = new Map<number, Uint8Array[]>()
  for (const id of ids) {
    const shard = bloomShardOf(id, shardCount)
    const list = byShard.get(shard)
    if (list) list.push(id)
    else byShard.set(shard, [id])
  }
  signal?.throwIfAborted()
  const errors: unknown[] = []
  const filters = await Promise.all(
    [...byShard.keys()].map(async (shard) => {
      try {
        const bytes = await store.get(layout.blockObject(tenant, meta.blockId, BlockObjects.bloom(shard)))
        return BloomFilter.parse(bytes, { tenant, blockId: meta.blockId, shard })
      } catch (error) {
        if (signal?.aborted) throw error
        errors.push(error)
        return undefined
      }
    }),
  )
  const passing = new Set<Uint8Array>()
  const rejected: Uint8Array[] = []
  ;[...byShard.values()].forEach((shardIds, i) => {
    const filter = filters[i]
    if (!filter) return
    for (const id of shardIds) {
      if (filter.has(id)) passing.add(id)
      else rejected.push(id)
    }
  })
  return { candidates: ids.filter((id) => passing.has(id)), rejected, errors }
}
