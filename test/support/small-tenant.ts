import type { ObjectStore } from '../../functions/core/storage/object-store.js'
import { generateTenant, type GeneratedTenantSummary } from '../../functions/generator/generate-tenant.js'

/** A small generated vParquet4 tenant: 2 blocks of 25 traces, a few pages per column (seconds to write). */
export const SMALL_TENANT = { format: 'vParquet4' as const, blocks: 2, tracesPerBlock: 25, rowGroupBytes: 200_000, pageBytes: 8_192, bloomShardBytes: 64, now: new Date('2026-01-15T12:00:00Z') }

/** Write tenant `tenant` into `store` with `seed`; the summary lists its IDs and blocks. */
export function writeSmallTenant(store: ObjectStore, tenant: string, seed: number, overrides: Partial<typeof SMALL_TENANT> = {}): Promise<GeneratedTenantSummary> {
  return generateTenant(store, { tenant, seed, ...SMALL_TENANT, ...overrides })
}
