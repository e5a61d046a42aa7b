import type { ByteRange, ListOptions, ObjectInfo, ObjectStore } from '../../../functions/core/storage/object-store.js'

/** One storage call: what and on which key (or listing prefix). */
export interface StorageCall {
  kind: 'get' | 'head' | 'list' | 'listFolders' | 'put' | 'putStream'
  key: string
}

/**
 * Records every key a store is asked for (reads, listings and writes), so a test can prove that a
 * request touched nothing outside its tenant's prefix and its results prefix (issue 11), or nothing at all.
 */
export class RecordingStore implements ObjectStore {
  readonly calls: StorageCall[] = []
  readonly description: string

  constructor(readonly inner: ObjectStore) {
    this.description = inner.description
  }

  /** Forget the calls so far (between the cases of a property test). */
  reset(): void {
    this.calls.length = 0
  }

  get(key: string, range?: ByteRange): Promise<Uint8Array> {
    this.calls.push({ kind: 'get', key })
    return this.inner.get(key, range)
  }

  head(key: string): Promise<ObjectInfo> {
    this.calls.push({ kind: 'head', key })
    return this.inner.head(key)
  }

  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo> {
    this.calls.push({ kind: 'list', key: prefix })
    return this.inner.list(prefix, options)
  }

  listFolders(prefix: string): Promise<string[]> {
    this.calls.push({ kind: 'listFolders', key: prefix })
    return this.inner.listFolders(prefix)
  }

  put(key: string, body: Uint8Array, options?: { contentType?: string; contentEncoding?: string }): Promise<void> {
    this.calls.push({ kind: 'put', key })
    return this.inner.put(key, body, options)
  }

  putStream(key: string, body: AsyncIterable<Uint8Array>, options?: { contentType?: string; contentEncoding?: string }): Promise<void> {
    this.calls.push({ kind: 'putStream', key })
    return this.inner.putStream(key, body, options)
  }
}
