import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { ObjectNotFoundError, StorageError } from '../core/contract/errors.js'
import { clipRange, compareKeys } from '../core/storage/memory-store.js'
import type { ByteRange, ListOptions, ObjectInfo, ObjectStore } from '../core/storage/object-store.js'
import { StreamBody } from '../core/storage/stream-body.js'

function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR'
}

/** The filesystem as an ObjectStore: keys are `/` paths below `root` (Tempo's local backend layout). */
export class FsStore implements ObjectStore {
  readonly root: string
  readonly description: string

  constructor(root: string) {
    this.root = resolve(root)
    this.description = `file:${this.root}`
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    const path = this.pathOf(key)
    let handle
    try {
      handle = await open(path, 'r')
    } catch (error) {
      throw this.translate(key, error, 'read failed')
    }
    try {
      const { size } = await handle.stat()
      if (!range) {
        const bytes = new Uint8Array(size)
        await readFully(handle, bytes, 0)
        return bytes
      }
      const { start, end } = clipRange(key, size, range)
      const bytes = new Uint8Array(end - start)
      await readFully(handle, bytes, start)
      return bytes
    } catch (error) {
      throw this.translate(key, error, 'read failed')
    } finally {
      await handle.close()
    }
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
    const dirKey = prefix.slice(0, slash + 1)
    const keys: ObjectInfo[] = []
    await this.walk(dirKey, prefix, keys)
    keys.sort((a, b) => compareKeys(a.key, b.key))
    for (const info of keys) {
      if (options?.startAfter !== undefined && info.key <= options.startAfter) continue
      yield info
    }
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

  private async walk(dirKey: string, prefix: string, out: ObjectInfo[]): Promise<void> {
    for (const entry of await this.readDir(dirKey)) {
      const key = `${dirKey}${entry.name}`
      if (entry.isDirectory()) {
        const sub = `${key}/`
        // Descend only where keys can still start with the prefix.
        if (sub.startsWith(prefix) || prefix.startsWith(sub)) await this.walk(sub, prefix, out)
      } else if (entry.isFile() && key.startsWith(prefix)) {
        const info = await stat(join(this.root, ...key.split('/')))
        out.push({ key, size: info.size, lastModified: info.mtime })
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
async function readFully(handle: import('node:fs/promises').FileHandle, into: Uint8Array, position: number): Promise<void> {
  let done = 0
  while (done < into.length) {
    const { bytesRead } = await handle.read(into, done, into.length - done, position + done)
    if (bytesRead === 0) throw new Error(`short read: ${done} of ${into.length} bytes at ${position} (the file shrank while being read)`)
    done += bytesRead
  }
}
