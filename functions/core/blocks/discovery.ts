import type { BlockMeta } from './block-meta.js'
import { CorruptBlockError, ObjectNotFoundError, StorageError, describeError } from '../contract/errors.js'
import { BlockObjects, TenantIndexObjects, type TempoLayout } from '../storage/layout.js'
import type { ObjectStore } from '../storage/object-store.js'
import { listTenantBlocks } from './list-blocks.js'
import { readMetaObject } from './read-meta.js'
import { readTenantIndex, type TenantIndex } from './tenant-index.js'

/**
 * Which blocks of a tenant to search (spec §1.3-1.6): from a fresh listing of `<tenant>/<uuid>/meta.json`
 * objects, or from the tenant index when it is fresh enough. Compacted blocks count only within a grace
 * window after their compaction, as Tempo's queriers do.
 */

const MINUTE_MS = 60_000
const NS_PER_SECOND = 1_000_000_000n

/** Options of `discoverBlocks`. */
export interface DiscoveryOptions {
  /** `auto` (default): the tenant index when it exists and is fresh, else a listing. */
  source?: 'auto' | 'tenant-index' | 'listing'
  /** Clock for the freshness and grace rules (default: now). */
  now?: Date
  /** compacted blocks compacted within this window are still searched (Tempo: 2 x blocklist_poll) */
  compactedGraceMs?: number /* default 10 min */
  /** auto: an index older than this is ignored and the tenant listed (default 15 min). */
  maxIndexAgeMs?: number
  /** Concurrent `meta.json` reads of a listing (default 32). */
  metaConcurrency?: number
  /** Block-ID ranges listed concurrently (default 4; Tempo's list_blocks_concurrency is 3). */
  listConcurrency?: number
}

/** The blocks to search, where the list came from, and what was left out and why. */
export interface DiscoveredBlocks {
  source: 'tenant-index' | 'listing'
  blocks: BlockMeta[]
  /** Blocks Tempo would not search either (incomplete, compacted before the grace window, gone after listing). */
  skipped: { blockId: string; reason: string }[]
  /**
   * Blocks that exist (their `meta.json` is there) but could not be read: a fault, not an absence. Any
   * requested ID may be in them, so a batch reports its IDs `partial` with the reason.
   */
  unreadable?: { blockId: string; reason: string }[]
}

type Skipped = DiscoveredBlocks['skipped']

/** List a tenant's searchable blocks, sorted by block ID. Throws `InvalidTenantError` for a bad tenant. */
export async function discoverBlocks(store: ObjectStore, layout: TempoLayout, tenant: string, options: DiscoveryOptions = {}): Promise<DiscoveredBlocks> {
  // Validates the tenant before any request is made.
  const prefix = layout.tenantPrefix(tenant)
  const source = options.source ?? 'auto'
  const now = options.now ?? new Date()
  const graceStart = now.getTime() - (options.compactedGraceMs ?? 10 * MINUTE_MS)

  if (source === 'tenant-index') {
    const index = await readTenantIndex(store, layout, tenant)
    if (!index) throw new ObjectNotFoundError(layout.tenantObject(tenant, TenantIndexObjects.protobuf))
    return fromTenantIndex(index, graceStart)
  }
  if (source === 'auto') {
    // Like Tempo's poller with blocklist_poll_fallback: an unreadable index means "list instead".
    const index = await readTenantIndex(store, layout, tenant).catch(() => undefined)
    const maxAge = options.maxIndexAgeMs ?? 15 * MINUTE_MS
    if (index && now.getTime() - index.createdAt.getTime() <= maxAge) return fromTenantIndex(index, graceStart)
  }
  return fromListing(store, layout, tenant, prefix, graceStart, options)
}

function fromTenantIndex(index: TenantIndex, graceStart: number): DiscoveredBlocks {
  const byId = new Map<string, BlockMeta>()
  const skipped: Skipped = []
  for (const meta of index.meta) byId.set(meta.blockId, meta)
  for (const meta of index.compacted) {
    if (byId.has(meta.blockId)) continue
    const compactedAt = meta.compactedTime?.getTime() ?? Number.NEGATIVE_INFINITY
    if (compactedAt >= graceStart) byId.set(meta.blockId, meta)
    else skipped.push({ blockId: meta.blockId, reason: compactedReason(meta.compactedTime) })
  }
  return { source: 'tenant-index', blocks: sortById([...byId.values()]), skipped: sortById(skipped), unreadable: [] }
}

async function fromListing(store: ObjectStore, layout: TempoLayout, tenant: string, prefix: string, graceStart: number, options: DiscoveryOptions): Promise<DiscoveredBlocks> {
  const listed = await listTenantBlocks(store, prefix, options.listConcurrency ?? 4)
  const skipped: Skipped = []
  const toRead: { blockId: string; compacted: boolean; lastModified?: Date }[] = []
  for (const [blockId, block] of listed) {
    if (block.hasMeta) toRead.push({ blockId, compacted: false })
    else if (!block.hasCompactedMeta) skipped.push({ blockId, reason: 'no meta.json (incomplete or deleted block)' })
    else if (block.compactedAt && block.compactedAt.getTime() >= graceStart) toRead.push({ blockId, compacted: true, lastModified: block.compactedAt })
    else skipped.push({ blockId, reason: compactedReason(block.compactedAt) })
  }

  const blocks: BlockMeta[] = []
  const unreadable: Skipped = []
  await forEachLimited(toRead, options.metaConcurrency ?? 32, async (item) => {
    const name = item.compacted ? BlockObjects.compactedMeta : BlockObjects.meta
    try {
      const meta = await readListedMeta(store, layout, tenant, item)
      if (meta === undefined) unreadable.push({ blockId: item.blockId, reason: `${name} disappeared after listing (the block was compacted or deleted meanwhile: run the request again)` })
      else if (meta.blockId !== item.blockId) unreadable.push({ blockId: item.blockId, reason: `${name} names block ${meta.blockId}` })
      else blocks.push(meta)
    } catch (error) {
      if (error instanceof CorruptBlockError || error instanceof StorageError || error instanceof ObjectNotFoundError) unreadable.push({ blockId: item.blockId, reason: `unreadable ${name}: ${describeError(error)}` })
      else throw error
    }
  })
  return { source: 'listing', blocks: sortById(blocks), skipped: sortById(skipped), unreadable: sortById(unreadable) }
}

/**
 * A listed block's meta. A live `meta.json` gone by the time it is read was most likely just compacted:
 * Tempo's compactor writes `meta.compacted.json` first, so the block is read as compacted (it is in its
 * grace window). Neither there: undefined (the caller reports the block, it does not skip it silently).
 */
async function readListedMeta(store: ObjectStore, layout: TempoLayout, tenant: string, item: { blockId: string; compacted: boolean; lastModified?: Date }): Promise<BlockMeta | undefined> {
  try {
    return await readMetaObject(store, layout, tenant, item.blockId, item.compacted, item.lastModified)
  } catch (error) {
    if (!(error instanceof ObjectNotFoundError)) throw error
  }
  if (item.compacted) return undefined
  try {
    return await readMetaObject(store, layout, tenant, item.blockId, true)
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined
    throw error
  }
}

function compactedReason(compactedAt: Date | undefined): string {
  if (!compactedAt) return 'compacted (time unknown)'
  return `compacted at ${compactedAt.toISOString()}, before the grace window`
}

function sortById<T extends { blockId: string }>(items: T[]): T[] {
  return items.sort((a, b) => (a.blockId < b.blockId ? -1 : a.blockId > b.blockId ? 1 : 0))
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await work(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
}

/**
 * Tempo's time filter (§7.3): with both `start` and `end` (unix seconds, 0 = not given) a block is searched
 * unless `meta.startTime.Unix() >= end || meta.endTime.Unix() <= start`; block times are floored to seconds.
 */
export function blockOverlapsWindow(meta: Pick<BlockMeta, 'startTimeUnixNano' | 'endTimeUnixNano'>, startSec?: number, endSec?: number): boolean {
  if (!startSec || !endSec) return true
  const blockStart = floorSeconds(meta.startTimeUnixNano)
  const blockEnd = floorSeconds(meta.endTimeUnixNano)
  return !(blockStart >= BigInt(Math.trunc(endSec)) || blockEnd <= BigInt(Math.trunc(startSec)))
}

/** Go's `time.Unix()`: seconds, floored (also for times before 1970). */
function floorSeconds(ns: bigint): bigint {
  const seconds = ns / NS_PER_SECOND
  return ns % NS_PER_SECOND < 0n ? seconds - 1n : seconds
}
