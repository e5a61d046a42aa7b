import { ObjectNotFoundError, StorageError } from '../../../functions/core/contract/errors.js'
import type { ByteRange, ListOptions, ObjectInfo, ObjectStore } from '../../../functions/core/storage/object-store.js'

/** A fault of one storage call, injected at the port (above the adapter). */
export type PortFault = 'error' | 'not-found' | 'short' | 'slow'

/** One call as the fault rule sees it. */
export interface PortCall {
  kind: 'get' | 'head' | 'list'
  key: string
  range?: ByteRange
}

/**
 * Wraps a real adapter and injects faults into the calls `rule` picks: a storage error (a dead disk,
 * permissions), the object gone (deleted between listing and reading), a short read (fewer bytes than
 * asked, the way a truncated file or a broken server answers), or a slow answer. Writes pass through.
 */
export class FaultyStore implements ObjectStore {
  readonly description: string
  /** Faults injected so far, by kind. */
  readonly injected = new Map<PortFault, number>()

  constructor(
    private readonly inner: ObjectStore,
    private readonly rule: (call: PortCall) => PortFault | undefined,
    private readonly slowMs = 20,
  ) {
    this.description = inner.description
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    const fault = await this.before({ kind: 'get', key, ...(range ? { range } : {}) })
    const bytes = await this.inner.get(key, range)
    return fault === 'short' ? bytes.subarray(0, Math.floor(bytes.length / 2)) : bytes
  }

  async head(key: string): Promise<ObjectInfo> {
    await this.before({ kind: 'head', key })
    return this.inner.head(key)
  }

  async *list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo> {
    await this.before({ kind: 'list', key: prefix })
    yield* this.inner.list(prefix, options)
  }

  listFolders(prefix: string): Promise<string[]> {
    return this.inner.listFolders(prefix)
  }

  put(key: string, body: Uint8Array, options?: { contentType?: string; contentEncoding?: string }): Promise<void> {
    return this.inner.put(key, body, options)
  }

  putStream(key: string, body: AsyncIterable<Uint8Array>, options?: { contentType?: string; contentEncoding?: string }): Promise<void> {
    return this.inner.putStream(key, body, options)
  }

  private async before(call: PortCall): Promise<PortFault | undefined> {
    const fault = this.rule(call)
    if (fault === undefined) return undefined
    this.injected.set(fault, (this.injected.get(fault) ?? 0) + 1)
    if (fault === 'error') throw new StorageError(call.key, 'read failed: EIO (injected)')
    if (fault === 'not-found') throw new ObjectNotFoundError(call.key)
    if (fault === 'slow') await new Promise((resolve) => setTimeout(resolve, this.slowMs))
    return fault
  }
}
