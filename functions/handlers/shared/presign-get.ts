import { presignGetUrl } from '../../adapters/presign.js'
import type { S3Store } from '../../adapters/s3-store.js'
import { TempoBatchError } from '../../core/contract/errors.js'
import type { ObjectStore } from '../../core/storage/object-store.js'

// Structural, not instanceof: the store may come from another copy of the module (bundles, test graphs).
function isS3Store(store: ObjectStore): store is S3Store {
  const candidate = store as Partial<S3Store>
  return typeof candidate.bucket === 'string' && typeof candidate.objectKey === 'function' && candidate.client !== undefined
}

/** A presigned GET URL for `key`, valid for `expiresInSeconds`; the result store must be an `S3Store`. */
export async function presignGet(store: ObjectStore, key: string, expiresInSeconds: number): Promise<string> {
  if (!isS3Store(store)) throw new TempoBatchError(`presign: ${store.description} is not an s3 store; cannot link ${key}`)
  return presignGetUrl(store, key, { expiresInSeconds, responseContentType: 'application/x-ndjson' })
}
