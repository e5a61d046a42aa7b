import { fileURLToPath } from 'node:url'
import type { S3Client } from '@aws-sdk/client-s3'
import type { ObjectStore } from '../core/storage/object-store.js'
import { FsStore, type FsStoreOptions } from './fs-store.js'
import type { S3StoreOptions } from './s3-store.js'

/**
 * One switch from a store spec to an adapter, used by the CLI, the local server and the workers:
 * `s3://bucket[/prefix]` opens S3 (a custom endpoint implies path-style), `file://...` or anything else
 * is a directory. The S3 adapter (and with it the AWS SDK, ~150 ms of module loading per thread) is
 * imported only when a spec names S3.
 */

/** Options of `openStore`: the S3 adapter's (ignored for directories) and the filesystem's (ignored for S3). */
export type OpenStoreOptions = S3StoreOptions & FsStoreOptions

// Stores opened with the same connection settings share one client, hence one socket pool.
const clients = new Map<string, S3Client>()

/** True when `spec` names an S3 location. */
export function isS3Spec(spec: string): boolean {
  return spec.startsWith('s3://')
}

/** Open the store a spec names: `s3://bucket[/prefix]` -> `S3Store`, `file:///dir` or a path -> `FsStore`. */
export async function openStore(spec: string, options: OpenStoreOptions = {}): Promise<ObjectStore> {
  if (!isS3Spec(spec)) return new FsStore(spec.startsWith('file:') ? fileURLToPath(spec) : spec, options.openFiles ? { openFiles: options.openFiles } : {})
  const { openFiles: _fsOnly, ...s3Options } = options
  const { S3Store, createS3Client } = await import('./s3-store.js')
  // Explicit credentials or client make the store unique; otherwise reuse a client per connection setting.
  let client = s3Options.client
  if (client === undefined && s3Options.credentials !== undefined) client = createS3Client(s3Options)
  if (client === undefined) {
    const endpoint = s3Options.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL ?? ''
    const cacheKey = JSON.stringify([endpoint, s3Options.region ?? process.env.AWS_REGION ?? '', s3Options.forcePathStyle ?? null, s3Options.requestTimeoutMs ?? null])
    client = clients.get(cacheKey)
    if (client === undefined) clients.set(cacheKey, (client = createS3Client(s3Options)))
  }
  return S3Store.fromUrl(spec, { ...s3Options, client })
}

/** Release what a store from `openStore` holds open (files kept open by an `FsStore`). */
export async function closeStore(store: ObjectStore): Promise<void> {
  if (store instanceof FsStore) await store.close()
}
