import type { ByteRange, ListOptions, ObjectInfo, ObjectStore } from './object-store.js'

/** One request seen by a CountingStore. */
export interface RecordedRequest {
  kind: 'get' | 'head' | 'list' | 'listFolders' | 'put'
  key: string
  range?: ByteRange
  bytes: number
  /** Sequential round trip this request belongs to (1-based); see `CountingStore`. */
  round: number
}

/** Totals of a CountingStore. */
export interface RequestCounts {
  requests: number
  bytesRead: number
  /** Length of the longest chain of requests that had to wait for one another. */
  rounds: number
}

/**
 * Wraps a store and counts requests and bytes: the real cost on S3. It also measures "rounds": a request's
 * round is one more than the highest round of any request that had already completed when it started, so
 * requests issued together share a round and a request issued after a result arrived starts a new one.
 * The maximum round is therefore the number of sequential round trips (latency) a read needed.
 */
export class CountingStore implements ObjectStore {
  readonly description: string
  readonly log: RecordedRequest[] = []
  private completedRound = 0

  constructor(private readonly inner: ObjectStore) {
    this.description = inner.description
  }

  /** Totals so far. */
  counts(): RequestCounts {
    let bytesRead = 0
    let rounds = 0
    for (const r of this.log) {
      bytesRead += r.bytes
      rounds = Math.max(rounds, r.round)
    }
    return { requests: this.log.length, bytesRead, rounds }
  }

  /** Requests made for one key. */
  requestsFor(key: string): RecordedRequest[] {
    return this.log.filter((r) => r.key === key)
  }

  /** Forget everything counted so far. */
  reset(): void {
    this.log.length = 0
    this.completedRound = 0
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    const entry = this.start('get', key, range)
    try {
      const bytes = await this.inner.get(key, range)
      entry.bytes = bytes.length
      return bytes
    } finally {
      this.finish(entry)
    }
  }

  async head(key: string): Promise<ObjectInfo> {
    const entry = this.start('head', key)
    try {
      return await this.inner.head(key)
    } finally {
      this.finish(entry)
    }
  }

  async *list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo> {
    const entry = this.start('list', prefix)
    try {
      yield* this.inner.list(prefix, options)
    } finally {
      this.finish(entry)
    }
  }

  async listFolders(prefix: string): Promise<string[]> {
    const entry = this.start('listFolders', prefix)
    try {
      return await this.inner.listFolders(prefix)
    } finally {
      this.finish(entry)
    }
  }

  async put(key: string, body: Uint8Array, options?: { contentType?: string; contentEncoding?: string }): Promise<void> {
    const entry = this.start('put', key)
    try {
      await this.inner.put(key, body, options)
    } finally {
      this.finish(entry)
    }
  }

  /** Counted like `put`: one request, no bytes read. */
  async putStream(key: string, body: AsyncIterable<Uint8Array>, options?: { contentType?: string; contentEncoding?: string }): Promise<void> {
    const entry = this.start('put', key)
    try {
      await this.inner.putStream(key, body, options)
    } finally {
      this.finish(entry)
    }
  }

  private start(kind: RecordedRequest['kind'], key: string, range?: ByteRange): RecordedRequest {
    const entry: RecordedRequest = { kind, key, bytes: 0, round: this.completedRound + 1 }
    if (range) entry.range = { ...range }
    this.log.push(entry)
    return entry
  }

  private finish(entry: RecordedRequest): void {
    this.completedRound = Math.max(this.completedRound, entry.round)
  }
}
