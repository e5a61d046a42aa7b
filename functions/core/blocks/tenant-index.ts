import type { BlockMeta } from './block-meta.js'
import { ObjectNotFoundError, TempoBatchError, describeError } from '../contract/errors.js'
import { gunzip, gzipWithName } from '../encoding/gzip.js'
import { zstdDecompress, zstdRawFrame } from '../encoding/zstd.js'
import { TenantIndexObjects, type TempoLayout } from '../storage/layout.js'
import type { ObjectStore } from '../storage/object-store.js'
import { parseBlockMeta, serializeBlockMeta } from './meta.js'
import { formatRfc3339Nano, nanosToDate, parseRfc3339Nano, dateToNanos } from './rfc3339.js'
import { decodeTenantIndexMessage, encodeTenantIndexMessage } from './tenant-index-proto.js'

/**
 * Tempo's tenant index (spec §1.5): the block list a builder wrote beside the blocks, as protobuf+zstd
 * (`index.pb.zst`, read first) and JSON+gzip (`index.json.gz`, read only when the protobuf is absent).
 */

/** A decoded tenant index. */
export interface TenantIndex {
  createdAt: Date
  /** Live blocks. */
  meta: BlockMeta[]
  /** Compacted blocks, each with `compactedTime`. */
  compacted: BlockMeta[]
}

/** The tenant index exists but does not decode. */
export class CorruptTenantIndexError extends TempoBatchError {
  constructor(
    readonly tenant: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`tenant index ${tenant}: ${problem}`, options)
  }
}

/** Decode `index.pb.zst` bytes. Throws `CorruptTenantIndexError`. */
export function decodeTenantIndexProto(zstdBytes: Uint8Array, tenant = 'unknown'): TenantIndex {
  try {
    const message = decodeTenantIndexMessage(zstdDecompress(zstdBytes))
    return { createdAt: nanosToDate(message.createdAtUnixNano), meta: message.meta, compacted: message.compacted }
  } catch (error) {
    throw new CorruptTenantIndexError(tenant, `${TenantIndexObjects.protobuf}: ${describeError(error)}`, { cause: error })
  }
}

/** Decode `index.json.gz` bytes. Throws `CorruptTenantIndexError`. */
export function decodeTenantIndexJson(gzBytes: Uint8Array, tenant = 'unknown'): TenantIndex {
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(gunzip(gzBytes)))
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('not a JSON object')
    const { created_at: createdAt, meta, compacted } = json as Record<string, unknown>
    if (createdAt !== undefined && typeof createdAt !== 'string') throw new Error('created_at is not a time string')
    return {
      createdAt: createdAt === undefined ? new Date(0) : nanosToDate(parseRfc3339Nano(createdAt)),
      meta: jsonList(meta, 'meta').map((m) => parseBlockMeta(m)),
      compacted: jsonList(compacted, 'compacted').map((m) => parseBlockMeta(m, { compacted: true })),
    }
  } catch (error) {
    throw new CorruptTenantIndexError(tenant, `${TenantIndexObjects.json}: ${describeError(error)}`, { cause: error })
  }
}

function jsonList(value: unknown, key: string): unknown[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) throw new Error(`${key} is not an array`)
  return value
}

/** `index.pb.zst` bytes for `index` (a zstd frame of Raw blocks around the protobuf). */
export function encodeTenantIndexProto(index: TenantIndex): Uint8Array {
  return zstdRawFrame(encodeTenantIndexMessage(index.createdAt, index.meta, index.compacted))
}

/** The JSON text Tempo writes inside `index.json.gz` (Go `encoding/json` of `TenantIndex`). */
export function tenantIndexJsonText(index: TenantIndex): string {
  const meta = index.meta.map((m) => serializeBlockMeta(m))
  const compacted = index.compacted.map((m) => serializeBlockMeta(m, { withCompactedTime: true }))
  // Tempo's builder passes non-nil slices, so an empty list is `[]` (readers also accept null).
  const list = (items: string[]) => `[${items.join(',')}]`
  return `{"created_at":"${formatRfc3339Nano(dateToNanos(index.createdAt))}","meta":${list(meta)},"compacted":${list(compacted)}}`
}

/** `index.json.gz` bytes for `index` (gzip member named `index.json`, like Tempo). */
export function encodeTenantIndexJson(index: TenantIndex): Uint8Array {
  return gzipWithName(new TextEncoder().encode(tenantIndexJsonText(index)), 'index.json')
}

/**
 * Read a tenant's index: `index.pb.zst` first; `index.json.gz` only when the protobuf object does not
 * exist. `undefined` when neither exists. A corrupt index throws `CorruptTenantIndexError`.
 */
export async function readTenantIndex(store: ObjectStore, layout: TempoLayout, tenant: string): Promise<TenantIndex | undefined> {
  const protobuf = await getIfExists(store, layout.tenantObject(tenant, TenantIndexObjects.protobuf))
  if (protobuf) return decodeTenantIndexProto(protobuf, tenant)
  const json = await getIfExists(store, layout.tenantObject(tenant, TenantIndexObjects.json))
  if (json) return decodeTenantIndexJson(json, tenant)
  return undefined
}

async function getIfExists(store: ObjectStore, key: string): Promise<Uint8Array | undefined> {
  try {
    return await store.get(key)
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined
    throw error
  }
}
