import { ObjectNotFoundError, StorageError } from '../contract/errors.js'
import type { ByteRange, ListOptions, ObjectInfo, ObjectStore } from './object-store.js'

/** Clip a requested range to an object of `size` bytes the way S3 does (end past the size is clipped). */
export function clipRange(key: string, size: number, range: ByteRange | undefined): ByteRange {
  if (!range) return { start: 0, end: size }
  const { start, end } = range
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start) {
    throw new StorageError(key, `invalid byte range [${start}, ${end})`)
  }
  if (start > size || (start === size && end > start)) {
    throw new StorageError(key, `byte range [${start}, ${end}) starts past the object size ${size}`)
  }
  return { start, end: Math.min(end, size) }
}

/** The folders (keys ending in `/`) directly below `prefix` among `keys`, ascending and distinct. */
export function foldersBelow(keys: Iterable<string>, prefix: string): string[] {
  const folders = new Set<string>()
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue
    const slash = key.indexOf('/', prefix.length)
    if (slash >= 0) folders.add(key.slice(0, slash + 1))
  }
  return [...folders].sort(compareKeys)
}

/** Key order of S3 listings: by UTF-16 code unit, which equals byte order for the ASCII keys we write. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

interface StoredObject {
  bytes: Uint8Array
  lastModified: Date
}

/** An in-memory ObjectStore, for tests (damage fixture bytes without touching the files). */
export class MemoryStore implements ObjectStore {
  readonly description: string
  private readonly objects = new Map<string, StoredObject>()

  constructor(description = 'memory:') {
    this.description = description
  }

  /** Store bytes under `key` synchronously (test set-up). */
  set(key: string, bytes: Uint8Array, lastModified = new Date()): void {
    this.objects.set(key, { bytes, lastModified })
  }

  /** Remove an object; true when it existed. */
  delete(key: string): boolean {
    return this.objects.delete(key)
  }

  /** Every stored key, ascending. */
  keys(): string[] {
    return [...this.objects.keys()].sort(compareKeys)
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    const object = this.require(key)
    const { start, end } = clipRange(key, object.bytes.length, range)
    // A copy, so callers can never mutate the stored object through the result.
    return object.bytes.slice(start, end)
  }

  async head(key: string): Promise<ObjectInfo> {
    const object = this.require(key)
    return { key, size: object.bytes.length, lastModified: object.lastModified }
  }

  async *list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo> {
    for (const key of this.keys()) {
      if (!key.startsWith(prefix)) continue
      if (options?.startAfter !== undefined && key <= options.startAfter) continue
      const object = this.objects.get(key)
      if (object) yield { key, size: object.bytes.length, lastModified: object.lastModified }
    }
  }

  async listFolders(prefix: string): Promise<string[]> {
    return foldersBelow(this.objects.keys(), prefix)
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    this.objects.set(key, { bytes: body.slice(), lastModified: new Date() })
  }

  async putStream(key: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    const chunks: Uint8Array[] = []
    let size = 0
    for await (const chunk of body) {
      // Copies: producers may reuse their buffers once a chunk is handed over.
      chunks.push(chunk.slice())
      size += chunk.length
    }
    const bytes = new Uint8Array(size)
    let offset = 0
    for (const chunk of chunks) {
      bytes.set(chunk, offset)
      offset += chunk.length
    }
    this.objects.set(key, { bytes, lastModified: new Date() })
  }

  private require(key: string): StoredObject {
    const object = this.objects.get(key)
    if (!object) throw new ObjectNotFoundError(key)
    return object
  }
}
