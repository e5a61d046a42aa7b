import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ObjectNotFoundError, StorageError } from '../../functions/core/contract/errors.js'
import type { ObjectInfo, ObjectStore } from '../../functions/core/storage/object-store.js'

/**
 * The behaviour every `ObjectStore` adapter must share, as one suite: run it against each adapter with
 * a factory that returns a fresh, empty store. Seeding goes through `put`, so `put` is covered too.
 */

/** A fresh empty store and how to dispose of it. */
export interface ContractStore {
  store: ObjectStore
  dispose?: () => Promise<void>
}

/** Options of the contract suite. */
export interface ContractOptions {
  /** Number of keys for the pagination case (use more than the adapter's page size). */
  manyKeys?: number
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Every byte value, twice, so any text or encoding damage shows. */
const binary = Uint8Array.from({ length: 512 }, (_, i) => i % 256)

const seed: Record<string, Uint8Array> = {
  'tenant-a/block-1/data.parquet': binary,
  'tenant-a/block-1/meta.json': encoder.encode('{"format":"vParquet4"}'),
  'tenant-a/block-2/meta.json': encoder.encode('{"format":"vParquet3"}'),
  'tenant-a/index.json.gz': encoder.encode('index'),
  'tenant-b/block-3/meta.json': encoder.encode('{}'),
  'tenant-ab/x': encoder.encode('x'),
  'root.txt': encoder.encode('root'),
}

/** A streamed body of `chunks`; with `failAfter`, it throws `failure` once that many chunks are out. */
async function* chunked(chunks: Uint8Array[], failAfter?: number, failure?: Error): AsyncIterable<Uint8Array> {
  for (const [i, chunk] of chunks.entries()) {
    if (i === failAfter) throw failure
    await new Promise((resolve) => setImmediate(resolve))
    yield chunk
  }
  if (failAfter === chunks.length) throw failure
}

async function collect(items: AsyncIterable<ObjectInfo>): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = []
  for await (const item of items) out.push(item)
  return out
}

function keysOf(infos: ObjectInfo[]): string[] {
  return infos.map((info) => info.key)
}

/** Register the ObjectStore contract suite for one adapter. */
export function describeObjectStoreContract(name: string, makeStore: () => Promise<ContractStore>, options: ContractOptions = {}): void {
  const manyKeys = options.manyKeys ?? 25

  describe(`ObjectStore contract: ${name}`, () => {
    let handle: ContractStore
    let store: ObjectStore

    beforeAll(async () => {
      handle = await makeStore()
      store = handle.store
      for (const [key, body] of Object.entries(seed)) await store.put(key, body)
    })
    afterAll(async () => {
      await handle?.dispose?.()
    })

    it('has a description', () => {
      expect(typeof store.description).toBe('string')
      expect(store.description.length).toBeGreaterThan(0)
    })

    it('reads a whole object byte for byte', async () => {
      expect(await store.get('tenant-a/block-1/data.parquet')).toEqual(binary)
      expect(decoder.decode(await store.get('tenant-a/block-1/meta.json'))).toBe('{"format":"vParquet4"}')
    })

    it('reads half-open ranges: first byte, middle, last byte, whole', async () => {
      expect(await store.get('tenant-a/block-1/data.parquet', { start: 0, end: 1 })).toEqual(binary.subarray(0, 1))
      expect(await store.get('tenant-a/block-1/data.parquet', { start: 100, end: 300 })).toEqual(binary.subarray(100, 300))
      expect(await store.get('tenant-a/block-1/data.parquet', { start: 511, end: 512 })).toEqual(Uint8Array.of(255))
      expect(await store.get('tenant-a/block-1/data.parquet', { start: 0, end: 512 })).toEqual(binary)
    })

    it('returns an empty array for an empty range', async () => {
      const bytes = await store.get('tenant-a/block-1/data.parquet', { start: 7, end: 7 })
      expect(bytes.length).toBe(0)
    })

    it('clips a range that runs past the end; a range starting past the end is a StorageError', async () => {
      expect(await store.get('tenant-a/block-1/data.parquet', { start: 500, end: 600 })).toEqual(binary.subarray(500, 512))
      await expect(store.get('tenant-a/block-1/data.parquet', { start: 600, end: 700 })).rejects.toBeInstanceOf(StorageError)
      await expect(store.get('tenant-a/block-1/data.parquet', { start: 9, end: 3 })).rejects.toBeInstanceOf(StorageError)
    })

    it('heads an object: key and size', async () => {
      const info = await store.head('tenant-a/block-1/data.parquet')
      expect(info.key).toBe('tenant-a/block-1/data.parquet')
      expect(info.size).toBe(512)
      if (info.lastModified !== undefined) expect(info.lastModified).toBeInstanceOf(Date)
    })

    it('throws ObjectNotFoundError for a missing object on get, ranged get and head', async () => {
      await expect(store.get('tenant-a/block-1/missing')).rejects.toBeInstanceOf(ObjectNotFoundError)
      await expect(store.get('tenant-a/block-1/missing', { start: 0, end: 4 })).rejects.toBeInstanceOf(ObjectNotFoundError)
      await expect(store.head('no-such-tenant/meta.json')).rejects.toBeInstanceOf(ObjectNotFoundError)
    })

    it('lists every object under a prefix, recursively, ascending, with sizes', async () => {
      const infos = await collect(store.list('tenant-a/'))
      expect(keysOf(infos)).toEqual([
        'tenant-a/block-1/data.parquet',
        'tenant-a/block-1/meta.json',
        'tenant-a/block-2/meta.json',
        'tenant-a/index.json.gz',
      ])
      expect(infos[0]!.size).toBe(512)
    })

    it('treats the list prefix as a plain string prefix', async () => {
      expect(keysOf(await collect(store.list('tenant-a')))).toContain('tenant-ab/x')
      expect(keysOf(await collect(store.list('tenant-b/')))).toEqual(['tenant-b/block-3/meta.json'])
      expect(await collect(store.list('nothing-here/'))).toEqual([])
    })

    it('lists from the root with an empty prefix', async () => {
      const keys = keysOf(await collect(store.list('')))
      expect(keys).toEqual([...Object.keys(seed)].sort())
    })

    it('honours startAfter', async () => {
      const keys = keysOf(await collect(store.list('tenant-a/', { startAfter: 'tenant-a/block-1/meta.json' })))
      expect(keys).toEqual(['tenant-a/block-2/meta.json', 'tenant-a/index.json.gz'])
    })

    it('lists folders directly below a prefix, ascending, ending in /', async () => {
      expect(await store.listFolders('tenant-a/')).toEqual(['tenant-a/block-1/', 'tenant-a/block-2/'])
      expect(await store.listFolders('')).toEqual(['tenant-a/', 'tenant-ab/', 'tenant-b/'])
      expect(await store.listFolders('tenant-a/block-1/')).toEqual([])
      expect(await store.listFolders('nothing-here/')).toEqual([])
    })

    it('overwrites an object on put', async () => {
      await store.put('scratch/overwrite', encoder.encode('first version'))
      await store.put('scratch/overwrite', encoder.encode('second'), { contentType: 'text/plain' })
      expect(decoder.decode(await store.get('scratch/overwrite'))).toBe('second')
      expect((await store.head('scratch/overwrite')).size).toBe(6)
    })

    it('stores an empty object', async () => {
      await store.put('scratch/empty', new Uint8Array(0))
      expect((await store.get('scratch/empty')).length).toBe(0)
      expect((await store.head('scratch/empty')).size).toBe(0)
    })

    it('keeps content-encoded bytes as written (no transparent decoding)', async () => {
      const gzipMagic = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3)
      await store.put('scratch/part.ndjson.gz', gzipMagic, { contentType: 'application/x-ndjson', contentEncoding: 'gzip' })
      expect(await store.get('scratch/part.ndjson.gz')).toEqual(gzipMagic)
    })

    it('putStream: writes several chunks as one object', async () => {
      const chunks = [binary.subarray(0, 100), encoder.encode('middle'), new Uint8Array(0), binary.subarray(100)]
      await store.putStream('scratch/streamed', chunked(chunks), { contentType: 'application/octet-stream' })
      const expected = new Uint8Array([...binary.subarray(0, 100), ...encoder.encode('middle'), ...binary.subarray(100)])
      expect(await store.get('scratch/streamed')).toEqual(expected)
      expect((await store.head('scratch/streamed')).size).toBe(518)
    })

    it('putStream: an empty body is an empty object', async () => {
      await store.putStream('scratch/streamed-empty', chunked([]))
      expect((await store.head('scratch/streamed-empty')).size).toBe(0)
      expect((await store.get('scratch/streamed-empty')).length).toBe(0)
    })

    it('putStream: overwrites, and keeps content-encoded bytes as written', async () => {
      await store.put('scratch/stream-over', encoder.encode('an old and longer version'))
      const gzipMagic = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3)
      await store.putStream('scratch/stream-over', chunked([gzipMagic.subarray(0, 3), gzipMagic.subarray(3)]), { contentType: 'application/x-ndjson', contentEncoding: 'gzip' })
      expect(await store.get('scratch/stream-over')).toEqual(gzipMagic)
    })

    it("putStream: a failing body rejects with the body's error and leaves nothing visible", async () => {
      const failure = new Error('producer broke')
      await expect(store.putStream('scratch/stream-failed', chunked([binary, binary], 1, failure))).rejects.toBe(failure)
      await expect(store.head('scratch/stream-failed')).rejects.toBeInstanceOf(ObjectNotFoundError)
      expect(keysOf(await collect(store.list('scratch/stream-failed')))).toEqual([])
    })

    it('putStream: a failing body leaves the old object in place', async () => {
      await store.put('scratch/stream-kept', encoder.encode('old'))
      const failure = new Error('producer broke late')
      await expect(store.putStream('scratch/stream-kept', chunked([binary, binary], 2, failure))).rejects.toBe(failure)
      expect(decoder.decode(await store.get('scratch/stream-kept'))).toBe('old')
      expect(keysOf(await collect(store.list('scratch/stream-kept')))).toEqual(['scratch/stream-kept'])
    })

    it('orders keys by their bytes across folder levels, also from a startAfter inside a folder', async () => {
      // "/" sorts after "-" and ".": a folder's keys come after a sibling that extends its name.
      const keys = ['order/ab-c', 'order/ab.d/y', 'order/ab/x', 'order/ab/z/1', 'order/abc']
      for (const key of [...keys].reverse()) await store.put(key, encoder.encode(key))
      expect(keysOf(await collect(store.list('order/')))).toEqual(keys)
      expect(keysOf(await collect(store.list('order/', { startAfter: 'order/ab.d/y' })))).toEqual(keys.slice(2))
      expect(keysOf(await collect(store.list('order/', { startAfter: 'order/ab/x' })))).toEqual(keys.slice(3))
      expect(keysOf(await collect(store.list('order/ab', { startAfter: 'order/ab/zz' })))).toEqual(['order/abc'])
    })

    it(`pages through ${manyKeys} keys in order`, async () => {
      const keys = Array.from({ length: manyKeys }, (_, i) => `many/k${String(i).padStart(5, '0')}`)
      for (const key of keys) await store.put(key, encoder.encode(key))
      expect(keysOf(await collect(store.list('many/')))).toEqual(keys)
      const after = keys[Math.floor(manyKeys / 2)]!
      expect(keysOf(await collect(store.list('many/', { startAfter: after })))).toEqual(keys.filter((k) => k > after))
    })
  })
}
