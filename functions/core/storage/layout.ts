import { InvalidTenantError } from '../contract/errors.js'

/**
 * The object-key layout, in one place. Tempo writes `<prefix>/<tenant>/<blockID>/<name>` and the tenant
 * index beside the blocks; our results live under their own prefix. Tenant names are validated here so
 * that no key can leave the tenant's prefix.
 */

const MAX_TENANT_LENGTH = 150
const BLOCK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
// Tempo itself keeps these two objects at the bucket root; they are never tenants.
const RESERVED_TENANTS = new Set(['tempo_cluster_seed.json', 'work.json'])

/** Throw `InvalidTenantError` unless `tenant` is safe to use as one key segment. */
export function validateTenant(tenant: unknown): string {
  if (typeof tenant !== 'string') throw new InvalidTenantError(String(tenant), 'must be a string')
  if (tenant.length === 0) throw new InvalidTenantError(tenant, 'is empty')
  if (tenant.length > MAX_TENANT_LENGTH) throw new InvalidTenantError(tenant, `is longer than ${MAX_TENANT_LENGTH} characters`)
  if (tenant === '.' || tenant === '..') throw new InvalidTenantError(tenant, 'is a path traversal')
  if (tenant.includes('/') || tenant.includes('\\')) throw new InvalidTenantError(tenant, 'contains a path separator')
  // Printable ASCII only: Tempo's org IDs are header values, and anything else is a key-injection risk.
  if (!/^[\x21-\x7e]+$/.test(tenant)) throw new InvalidTenantError(tenant, 'contains a non-printable or non-ASCII character')
  if (RESERVED_TENANTS.has(tenant)) throw new InvalidTenantError(tenant, 'is a reserved name')
  return tenant
}

/** True for a canonical lowercase UUID (the block directory name). */
export function isBlockId(name: string): boolean {
  return BLOCK_ID.test(name)
}

/** Join key segments with `/`, dropping empty ones (Go's path.Join for our purposes). */
export function joinKey(...parts: string[]): string {
  return parts
    .flatMap((p) => p.split('/'))
    .filter((p) => p.length > 0)
    .join('/')
}

/** Key builder for one store prefix (the Tempo backend's optional `prefix` setting). */
export class TempoLayout {
  constructor(readonly prefix = '') {}

  /** `<prefix>/<tenant>/` for listings. */
  tenantPrefix(tenant: string): string {
    return joinKey(this.prefix, validateTenant(tenant)) + '/'
  }

  /** Key of an object inside a block directory. */
  blockObject(tenant: string, blockId: string, name: string): string {
    if (!isBlockId(blockId)) throw new InvalidTenantError(tenant, `has an invalid block id ${JSON.stringify(blockId)}`)
    return joinKey(this.prefix, validateTenant(tenant), blockId, name)
  }

  /** Key of a tenant-level object (`index.pb.zst`, `index.json.gz`). */
  tenantObject(tenant: string, name: string): string {
    return joinKey(this.prefix, validateTenant(tenant), name)
  }
}

/** Well-known object names inside a block. */
export const BlockObjects = {
  meta: 'meta.json',
  compactedMeta: 'meta.compacted.json',
  data: 'data.parquet',
  index: 'index',
  bloom: (shard: number) => `bloom-${shard}`,
} as const

/** Tenant index object names, in read preference order. */
export const TenantIndexObjects = { protobuf: 'index.pb.zst', json: 'index.json.gz' } as const
