import { cachedDiscovery } from '../functions/core/batch/cached-discovery.js'
import { BlockCache } from '../functions/core/search/block-cache.js'
import { TempoLayout } from '../functions/core/storage/layout.js'
import type { ObjectStore } from '../functions/core/storage/object-store.js'
import { lookupTrace } from '../functions/server/trace-lookup.js'

/**
 * Where a warm single lookup's time goes: the server's own lookup (cached block list and block cache,
 * readers on this thread, parts in memory) for each ID after one warm-up pass, averaging the coordinator's phases and
 * the reader's (summed over the blocks it searched at once).
 */
export async function lookupPhases(store: ObjectStore, tenant: string, ids: readonly string[]): Promise<string> {
  // Wired as `tempo-batch serve` wires its lookups: a cached block list and a block cache.
  const deps = { tempoStore: store, layout: new TempoLayout(''), discover: cachedDiscovery(store, new TempoLayout(''), { ttlMs: 3_600_000 }), cache: new BlockCache() }
  const sums: Record<string, number> = {}
  for (const pass of [0, 1]) {
    for (const traceId of ids) {
      const started = performance.now()
      const { stats } = await lookupTrace({ tenant, traceId }, deps, { model: false })
      if (pass === 0) continue
      sums.wall = (sums.wall ?? 0) + performance.now() - started
      for (const [phase, ms] of Object.entries(stats.durationMs)) if (phase !== 'total') sums[phase] = (sums[phase] ?? 0) + ms
      for (const [phase, ms] of Object.entries(stats.phaseMs)) sums[`reader.${phase}`] = (sums[`reader.${phase}`] ?? 0) + ms
    }
  }
  return Object.entries(sums)
    .map(([phase, ms]) => `${phase} ${(ms / ids.length).toFixed(1)}`)
    .join(', ')
}
