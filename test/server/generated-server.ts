import { cachedDiscovery } from '../../functions/core/batch/cached-discovery.js'
import { InProcessInvoker } from '../../functions/core/batch/in-process-invoker.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import type { ObjectStore } from '../../functions/core/storage/object-store.js'
import { generateTenant, type GeneratedTenantSummary } from '../../functions/generator/generate-tenant.js'
import { startServer, type RunningServer, type ServerOptions } from '../../functions/server/server.js'

/** A small generated tenant: 3 blocks of 40 traces, replicated and split traces included. */
export const GENERATED = { tenant: 'archive', seed: 7, blocks: 3, tracesPerBlock: 40, rowGroupBytes: 150_000, pageBytes: 8_192, bloomShardBytes: 16 }

/** Generate the tenant into a fresh in-memory store. */
export async function generatedStore(): Promise<{ store: MemoryStore; summary: GeneratedTenantSummary }> {
  const store = new MemoryStore()
  const summary = await generateTenant(store, { ...GENERATED, now: new Date('2026-01-15T12:00:00Z') })
  return { store, summary }
}

/** A server reading `tempoStore` in-process (results in memory), with `overrides` on top. */
export function serveStore(tempoStore: ObjectStore, overrides: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const layout = new TempoLayout('')
  const resultStore = new MemoryStore()
  return startServer({
    port: 0,
    batch: { tempoStore, layout, resultStore, resultsPrefix: 'results', invoker: new InProcessInvoker({ tempoStore, layout, resultStore }), discovery: { compactedGraceMs: 0 } },
    lookup: { tempoStore, layout, discover: cachedDiscovery(tempoStore, layout, { compactedGraceMs: 0, ttlMs: 600_000 }) },
    ...overrides,
  })
}
