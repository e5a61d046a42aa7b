import { InvalidTenantError } from '../contract/errors.js'

/**
 * The object-key layout, in one place. Tempo writes `<prefix>/<tenant>/<blockID>/<name>` and the tenant
 * index beside the blocks; our results live under their own prefix. Tenant names are validated here so
 * that no key can leave the tenant's prefix.
 */

// Tempo's tenant rule (dskit's tenant.ValidTenantID): letters, digits and ! - _ . * ' ( ), at most 150
// bytes, never "." or "..". Nothing else can reach a key: no separator, no %, no space, no non-ASCII.
const MAX_TENANT_LENGTH = 150
const TENANT_CHARS = /^[A-Za-z0-9!\-_.*'()]+$/
const BLOCK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
// Tempo itself keeps these two objects at the bucket root; they are never tenants.
const RESERVED_TENANTS = new Set(['tempo_cluster_seed.json', 'work.json'])

/**
 * Throw `InvalidTenantError` unless `tenant` is a tenant ID by Tempo's rule (and not one of the two
 * names Tempo keeps at the bucket root). Every entry point calls this before any storage call.
 */
export function validateTenant(tenant: unknown): string {
  if (tenant === undefined || tenant === null) throw new InvalidTenantError(undefined, 'is required')
  if (typeof tenant !== 'string') throw new InvalidTenantError(tenant, 'must be a string')
  if (tenant.length === 0) throw new InvalidTenantError(tenant, 'is empty')
  if (tenant.length > MAX_TENANT_LENGTH) throw new InvalidTenantError(tenant, `is longer than ${MAX_TENANT_LENGTH} characters`)
  if (tenant === '.' || tenant === '..') throw new InvalidTenantError(tenant, 'is a path traversal')
  if (!TENANT_CHARS.test(tenant)) {
    const bad = [...tenant].find((c) => !TENANT_CHARS.test(c)) ?? ''
    throw new InvalidTenantError(tenant, `contains ${JSON.stringify(bad)}: tenant IDs are letters, digits and ! - _ . * ' ( ) only`)
  }
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
