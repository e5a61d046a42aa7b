import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, open, readdir, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { ObjectNotFoundError, StorageError } from '../core/contract/errors.js'
import { clipRange, compareKeys } from '../core/storage/memory-store.js'
import type { ByteRange, ListOptions, ObjectInfo, ObjectStore } from '../core/storage/object-store.js'
import { StreamBody } from '../core/storage/stream-body.js'
import { OpenFiles } from './open-files.js'

function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR'
}

/** Options of an `FsStore`. */
export interface FsStoreOptions {
  /**
   * Keep up to this many files open between reads (default 0: open and close per read). Only for a
   * store nobody writes while it is open, such as Tempo's blocks: a file replaced under an open handle
   * would still be read as it was. Writes through this store drop its handle.
   */
  openFiles?: number
}

/** The filesystem as an ObjectStore: keys are `/` paths below `root` (Tempo's local backend layout). */
export class FsStore implements ObjectStore {
  readonly root: string
  readonly description: string
  private readonly openFiles: OpenFiles | undefined

  constructor(root: string, options: FsStoreOptions = {}) {
    this.root = resolve(root)
    this.description = `file:${this.root}`
    this.openFiles = options.openFiles ? new OpenFiles(options.openFiles) : undefined
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    const path = this.pathOf(key)
    const read = async (handle: FileHandle, size: number) => {
      const { start, end } = range ? clipRange(key, size, range) : { start: 0, end: size }
      const bytes = new Uint8Array(end - start)
      await readFully(handle, bytes, start)
      return bytes
    }
    try {
      if (this.openFiles) return await this.openFiles.use(path, read)
      const handle = await open(path, 'r')
      try {
        return await read(handle, (await handle.stat()).size)
      } finally {
        await handle.close()
      }
    } catch (error) {
      throw this.translate(key, error, 'read failed')
    }
  }

  /** Close the files kept open (see `openFiles`); the store stays usable. */
  async close(): Promise<void> {
    await this.openFiles?.closeAll()
  }

  async head(key: string): Promise<ObjectInfo> {
    try {
      const info = await stat(this.pathOf(key))
      if (!info.isFile()) throw new ObjectNotFoundError(key)
      return { key, size: info.size, lastModified: info.mtime }
    } catch (error) {
      throw this.translate(key, error, 'stat failed')
    }
  }

  async *list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo> {
    const slash = prefix.lastIndexOf('/')
    yield* this.walk(prefix.slice(0, slash + 1), prefix, options?.startAfter)
  }

  async listFolders(prefix: string): Promise<string[]> {
    const slash = prefix.lastIndexOf('/')
    const dirKey = prefix.slice(0, slash + 1)
    const namePrefix = prefix.slice(slash + 1)
    const entries = await this.readDir(dirKey)
    return entries
      .filter((e) => e.isDirectory() && e.name.startsWith(namePrefix))
      .map((e) => `${dirKey}${e.name}/`)
      .sort(compareKeys)
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    const path = this.pathOf(key)
    // Write beside the target, then rename: readers see the old or the new object, never half.
    const temp = this.tempPathOf(path)
    try {
      await mkdir(dirname(path), { recursive: true })
      await writeFile(temp, body)
      await rename(temp, path)
      this.openFiles?.forget(path)
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined)
      throw new StorageError(key, 'write failed', { cause: error })
    }
  }

  async putStream(key: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    const path = this.pathOf(key)
    // Like put: the chunks go to a temporary file beside the target, renamed over it only when complete.
    const temp = this.tempPathOf(path)
    const source = new StreamBody(body)
    try {
      await mkdir(dirname(path), { recursive: true })
      await pipeline(source, createWriteStream(temp, { flags: 'wx' }))
      await rename(temp, path)
      this.openFiles?.forget(path)
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined)
      throw source.errorFor(error, (cause) => new StorageError(key, 'write failed', { cause }))
    }
  }

  /** Absolute path of a key; rejects keys that could leave the root. */
  pathOf(key: string): string {
    const parts = key.split('/')
    if (key.length === 0 || key.startsWith('/') || key.includes('\\') || key.includes('\0') || parts.some((p) => p === '..' || p === '.')) {
      throw new StorageError(key, 'invalid key for the filesystem store')
    }
    const path = join(this.root, ...parts.filter((p) => p.length > 0))
    if (path !== this.root && !path.startsWith(this.root + sep)) throw new StorageError(key, 'key leaves the store root')
    return path
  }

  private tempPathOf(path: string): string {
    return `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`
  }

  /**
   * The keys below `dirKey` that start with `prefix` and sort after `startAfter`, in key order, lazily:
   * siblings are visited in the order of their keys (a directory as `name/`), so the keys come out
   * sorted without collecting them; subtrees wholly at or before `startAfter` are never read, and a
   * consumer that stops early (a listing range) stops the walk.
   */
  private async *walk(dirKey: string, prefix: string, startAfter: string | undefined): AsyncIterable<ObjectInfo> {
    const entries = (await this.readDir(dirKey))
      .filter((entry) => entry.isDirectory() || entry.isFile())
      .map((entry) => ({ key: `${dirKey}${entry.name}${entry.isDirectory() ? '/' : ''}`, directory: entry.isDirectory() }))
      .sort((a, b) => compareKeys(a.key, b.key))
    for (const { key, directory } of entries) {
      if (directory) {
        // Descend only where keys can still start with the prefix and sort after startAfter.
        const matches = key.startsWith(prefix) || prefix.startsWith(key)
        const passed = startAfter !== undefined && startAfter >= key && !startAfter.startsWith(key)
        if (matches && !passed) yield* this.walk(key, prefix, startAfter)
      } else if (key.startsWith(prefix) && (startAfter === undefined || key > startAfter)) {
        const info = await stat(join(this.root, ...key.split('/')))
        yield { key, size: info.size, lastModified: info.mtime }
      }
    }
  }

  private async readDir(dirKey: string) {
    const path = dirKey === '' ? this.root : this.pathOf(dirKey.replace(/\/$/, ''))
    try {
      return await readdir(path, { withFileTypes: true })
    } catch (error) {
      if (isNotFound(error)) return []
      throw new StorageError(dirKey, 'list failed', { cause: error })
    }
  }

  private translate(key: string, error: unknown, what: string): Error {
    if (error instanceof ObjectNotFoundError || error instanceof StorageError) return error
    if (isNotFound(error)) return new ObjectNotFoundError(key, { cause: error })
    return new StorageError(key, what, { cause: error })
  }
}

// A file that shrinks between stat and read must not come back padded with zeros: that is a short read.
async function readFully(handle: FileHandle, into: Uint8Array, position: number): Promise<void> {
  let done = 0
  while (done < into.length) {
    const { bytesRead } = await handle.read(into, done, into.length - done, position + done)
    if (bytesRead === 0) throw new Error(`short read: ${done} of ${into.length} bytes at ${position} (the file shrank while being read)`)
    done += bytesRead
  }
}
