/**
 * The one narrow storage port. Every byte the system reads or writes goes through it: the filesystem
 * adapter, the S3 adapter, the counting and coalescing wrappers and the simulated-latency store all
 * implement it. Keys are `/`-separated and relative to the store's root (a directory or bucket+prefix).
 */

/** Half-open byte range `[start, end)`. */
export interface ByteRange {
  start: number
  end: number
}

/** What a listing or `head` returns about one object. */
export interface ObjectInfo {
  key: string
  size: number
  lastModified?: Date
}

/** Options of `list`. */
export interface ListOptions {
  /** Return only keys lexicographically after this one (S3 StartAfter). */
  startAfter?: string
}

/** Ranged reads, listing and writes of named objects. */
export interface ObjectStore {
  /** Read a whole object, or `range` of it (one ranged GET). Throws `ObjectNotFoundError` when absent. */
  get(key: string, range?: ByteRange): Promise<Uint8Array>
  /** Size (and time) of an object. Throws `ObjectNotFoundError` when absent. */
  head(key: string): Promise<ObjectInfo>
  /** Every object whose key starts with `prefix`, in ascending key order (no delimiter). */
  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo>
  /** Keys directly below `prefix` that end in `/` ("folders", S3 CommonPrefixes), ascending. */
  listFolders(prefix: string): Promise<string[]>
  /** Write a whole object (atomically: readers see the old or the new object, never half). */
  put(key: string, body: Uint8Array, options?: { contentType?: string; contentEncoding?: string }): Promise<void>
  /**
   * Write an object from chunks without holding it whole, as atomically as `put`. When `body` throws or the
   * store fails, the old object (or none) stays visible and the error propagates (`body`'s own error as is).
   */
  putStream(key: string, body: AsyncIterable<Uint8Array>, options?: { contentType?: string; contentEncoding?: string }): Promise<void>
  /** A short description for logs and errors, e.g. `file:/data/tempo` or `s3://bucket/prefix`. */
  readonly description: string
}
