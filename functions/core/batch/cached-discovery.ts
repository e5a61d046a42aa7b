import { discoverBlocks, type DiscoveredBlocks, type DiscoveryOptions } from '../blocks/discovery.js'
import type { TempoLayout } from '../storage/layout.js'
import type { ObjectStore } from '../storage/object-store.js'

/**
 * Per-tenant block lists kept for `ttlMs`, like Tempo's blocklist poller: a long-running server then
 * does not list the bucket for every trace lookup. Concurrent misses share one discovery.
 */
export function cachedDiscovery(
  store: ObjectStore,
  layout: TempoLayout,
  options: DiscoveryOptions & { ttlMs?: number; now?: () => number } = {},
): (tenant: string) => Promise<DiscoveredBlocks> {
  const ttl = options.ttlMs ?? 30_000
  const now = options.now ?? Date.now
  const cache = new Map<string, { at: number; blocks: Promise<DiscoveredBlocks> }>()
  return (tenant) => {
    const hit = cache.get(tenant)
    if (hit && now() - hit.at < ttl) return hit.blocks
    const blocks = discoverBlocks(store, layout, tenant, options)
    cache.set(tenant, { at: now(), blocks })
    blocks.catch(() => cache.delete(tenant))
    return blocks
  }
}
