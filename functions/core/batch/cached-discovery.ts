import { discoverBlocks, type DiscoveredBlocks, type DiscoveryOptions } from '../blocks/discovery.js'
import type { TempoLayout } from '../storage/layout.js'
import type { ObjectStore } from '../storage/object-store.js'

/** Options of `cachedDiscovery`. */
export interface CachedDiscoveryOptions extends DiscoveryOptions {
  /** How old a tenant's block list may get before it is refreshed (default 30 s; Tempo polls every 5 min). */
  ttlMs?: number
  /** Milliseconds clock for the list ages (default `Date.now`). */
  clock?: () => number
}

/**
 * Per-tenant block lists kept and refreshed like Tempo's blocklist poller, so a long-running server
 * does not list the bucket for every trace lookup: only a tenant's first request waits for discovery.
 * Once a list is older than `ttlMs`, the next request still gets it and starts one refresh in the
 * background, whose list later requests get; a failed refresh keeps the old list (and is tried again
 * on the next request), a failed first discovery is not kept.
 */
export function cachedDiscovery(store: ObjectStore, layout: TempoLayout, options: CachedDiscoveryOptions = {}): (tenant: string) => Promise<DiscoveredBlocks> {
  const ttl = options.ttlMs ?? 30_000
  const now = options.clock ?? Date.now
  const lists = new Map<string, { at: number; blocks: Promise<DiscoveredBlocks>; refreshing?: Promise<void> }>()
  return (tenant) => {
    const held = lists.get(tenant)
    if (!held) {
      const blocks = discoverBlocks(store, layout, tenant, options)
      lists.set(tenant, { at: now(), blocks })
      blocks.catch(() => lists.delete(tenant))
      return blocks
    }
    if (now() - held.at >= ttl && !held.refreshing) {
      const started = now()
      held.refreshing = discoverBlocks(store, layout, tenant, options).then(
        (fresh) => {
          lists.set(tenant, { at: started, blocks: Promise.resolve(fresh) })
        },
        () => {
          held.refreshing = undefined
        },
      )
    }
    return held.blocks
  }
}
