import { StorageError } from '../contract/errors.js'
import type { ObjectStore } from './object-store.js'

/** Options of `readObjectChunks`. */
export interface ReadChunksOptions {
  /** Bytes per ranged GET (default 4 MiB). */
  chunkBytes?: number
  /** The object's size when the caller knows it already (saves the `head`). */
  size?: number
}

/** Default size of one ranged read of a streamed object. */
export const DEFAULT_READ_CHUNK_BYTES = 4 * 1024 * 1024

/**
 * An object as a stream of chunks: one `head`, then sequential ranged `get`s with the next chunk in flight
 * while the consumer works on the current one, so memory holds two chunks, never the object.
 */
export async function* readObjectChunks(store: ObjectStore, key: string, options: ReadChunksOptions = {}): AsyncIterable<Uint8Array> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_READ_CHUNK_BYTES
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes <= 0) throw new StorageError(key, `invalid read chunk size ${chunkBytes}`)
  const size = options.size ?? (await store.head(key)).size
  const read = (start: number): Promise<Uint8Array> => {
    const end = Math.min(size, start + chunkBytes)
    return store.get(key, { start, end }).then((bytes) => {
      // A shorter answer means the object shrank under us: stop rather than yield a spliced stream.
      if (bytes.length !== end - start) throw new StorageError(key, `object changed while being read (expected ${end - start} bytes at ${start}, got ${bytes.length})`)
      return bytes
    })
  }
  let next = size > 0 ? read(0) : undefined
  for (let start = 0; next !== undefined; start += chunkBytes) {
    const current = await next
    next = start + chunkBytes < size ? read(start + chunkBytes) : undefined
    // A read-ahead nobody awaits (the consumer stopped early) must not become an unhandled rejection.
    next?.catch(() => undefined)
    yield current
  }
}
