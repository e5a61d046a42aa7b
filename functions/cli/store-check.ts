import { stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { isS3Spec } from '../adapters/store-url.js'
import { listTenants } from '../core/blocks/tenants.js'
import { TempoBatchError } from '../core/contract/errors.js'
import { isBlockId, type TempoLayout } from '../core/storage/layout.js'
import type { ObjectStore } from '../core/storage/object-store.js'

/** `--store` names a folder that does not exist, or a file (exit code 1: there is nothing to read). */
export class StoreNotFoundError extends TempoBatchError {}

/**
 * Fail early when a directory store does not exist or is a file: a missing folder would otherwise read as
 * a tenant with no blocks and answer "0 found". S3 stores need no check: a missing bucket is an error of
 * its own on the first listing.
 */
export async function checkStoreExists(spec: string): Promise<void> {
  if (isS3Spec(spec)) return
  const path = spec.startsWith('file:') ? fileURLToPath(spec) : spec
  const info = await stat(path).catch(() => undefined)
  if (!info) throw new StoreNotFoundError(`store ${path} does not exist`)
  if (!info.isDirectory()) throw new StoreNotFoundError(`store ${path} is a file, not a folder of tenants`)
}

/**
 * A hint for a tenant with no blocks: the store's tenants, or that `--store` seems to name a tenant folder
 * (its folders are block IDs). Lists the store's top level, which only the CLI's own user may see.
 */
export async function noBlocksHint(store: ObjectStore, layout: TempoLayout): Promise<string> {
  const prefix = layout.prefix.split('/').filter(Boolean).join('/')
  const folders = await store.listFolders(prefix === '' ? '' : `${prefix}/`).catch(() => [])
  if (folders.some((folder) => isBlockId(folder.replace(/\/$/, '').split('/').pop() ?? ''))) {
    return '--store seems to name a tenant folder (its folders are blocks): give the folder above it'
  }
  const tenants = await listTenants(store, layout).catch(() => [])
  if (tenants.length === 0) return 'the store holds no tenants'
  const shown = tenants.slice(0, 8).join(', ')
  return `tenants in the store: ${shown}${tenants.length > 8 ? `, and ${tenants.length - 8} more` : ''}`
}
