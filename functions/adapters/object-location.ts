import { basename, dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ObjectStore } from '../core/storage/object-store.js'
import { isS3Spec, openStore, type OpenStoreOptions } from './store-url.js'

/** One object named by a location: its store and its key there. */
export interface ObjectLocation {
  store: ObjectStore
  key: string
}

/**
 * Open the object a location names: `s3://bucket/key` (the manifests' `location`), `file:///path` or a
 * local path. The store is the bucket or the file's directory.
 */
export async function openObjectLocation(location: string, options: OpenStoreOptions = {}): Promise<ObjectLocation> {
  if (isS3Spec(location)) {
    const rest = location.slice('s3://'.length)
    const slash = rest.indexOf('/')
    if (slash <= 0 || slash === rest.length - 1) throw new RangeError(`location ${JSON.stringify(location)} names no object (s3://bucket/key)`)
    return { store: await openStore(`s3://${rest.slice(0, slash)}`, options), key: rest.slice(slash + 1) }
  }
  const path = resolve(location.startsWith('file:') ? fileURLToPath(location.replace(/^file:(?!\/\/)/, 'file://')) : location)
  return { store: await openStore(dirname(path)), key: basename(path) }
}
