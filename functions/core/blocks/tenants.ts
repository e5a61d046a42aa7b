import { validateTenant, type TempoLayout } from '../storage/layout.js'
import type { ObjectStore } from '../storage/object-store.js'

/**
 * The tenants of a Tempo bucket, as Tempo's poller finds them (§1.4): the folders directly below the
 * prefix, minus names that are not tenants (`tempo_cluster_seed.json`, `work.json`) and names that could
 * not be used safely as a key segment.
 */

/** Tenant names below `layout.prefix`, ascending. */
export async function listTenants(store: ObjectStore, layout: TempoLayout): Promise<string[]> {
  const root = layout.prefix.split('/').filter((p) => p.length > 0).join('/')
  const prefix = root === '' ? '' : `${root}/`
  const tenants: string[] = []
  for (const folder of await store.listFolders(prefix)) {
    const name = folder.slice(prefix.length).replace(/\/$/, '')
    try {
      tenants.push(validateTenant(name))
    } catch {
      // Not a usable tenant (reserved or unsafe name): Tempo skips the reserved ones too.
    }
  }
  return tenants
}
