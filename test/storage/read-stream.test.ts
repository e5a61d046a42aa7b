import { describe, expect, it } from 'vitest'
import { StorageError } from '../../functions/core/contract/errors.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import type { ByteRange } from '../../functions/core/storage/object-store.js'
import { readObjectChunks } from '../../functions/core/storage/read-stream.js'

const tick = (ms = 2) => new Promise((resolve) => setTimeout(resolve, ms))

/** A memory store whose gets are slow and counted: started, finished, and the most in flight at once. */
class SlowCountingStore extends MemoryStore {
  started = 0
  finished = 0
  maxInFlight = 0
  ranges: ByteRange[] = []

  override async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    this.started++
    if (range) this.ranges.push(range)
    this.maxInFlight = Math.max(this.maxInFlight, this.started - this.finished)
    await tick()
    try {
      return await super.get(key, range)
    } finally {
      this.finished++
    }
  }
}

const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 13) % 256)

describe('readObjectChunks', () => {
  it('skips the head when the caller knows the size', async () => {
    const store = new SlowCountingStore()
    store.set('obj', bytes)
    let heads = 0
    const head = store.head.bind(store)
    store.head = (key: string) => {
      heads++
      return head(key)
    }
    const known: Uint8Array[] = []
    for await (const chunk of readObjectChunks(store, 'obj', { chunkBytes: 4000, size: bytes.length })) known.push(chunk)
    expect(heads).toBe(0)
    expect(Buffer.concat(known).equals(Buffer.from(bytes))).toBe(true)
    for await (const chunk of readObjectChunks(store, 'obj', { chunkBytes: 4000 })) expect(chunk.length).toBeGreaterThan(0)
    expect(heads).toBe(1)
  })

  it('yields the object in chunks of chunkBytes, in order', async () => {
    const store = new SlowCountingStore()
    store.set('obj', bytes)
    const chunks: Uint8Array[] = []
    for await (const chunk of readObjectChunks(store, 'obj', { chunkBytes: 3000 })) chunks.push(chunk)
    expect(chunks.map((c) => c.length)).toEqual([3000, 3000, 3000, 1000])
    expect(Buffer.concat(chunks).equals(Buffer.from(bytes))).toBe(true)
    expect(store.ranges).toEqual([
      { start: 0, end: 3000 },
      { start: 3000, end: 6000 },
      { start: 6000, end: 9000 },
      { start: 9000, end: 10_000 },
    ])
  })

  it('yields nothing for an empty object, without a get', async () => {
    const store = new SlowCountingStore()
    store.set('empty', new Uint8Array(0))
    const chunks: Uint8Array[] = []
    for await (const chunk of readObjectChunks(store, 'empty')) chunks.push(chunk)
    expect(chunks).toEqual([])
    expect(store.started).toBe(0)
  })

  it('holds at most two chunks: the one handed out and one read ahead', async () => {
    const store = new SlowCountingStore()
    store.set('obj', bytes)
    let received = 0
    const startedWhenReceived: number[] = []
    for await (const chunk of readObjectChunks(store, 'obj', { chunkBytes: 500 })) {
      received++
      expect(chunk.length).toBe(500)
      startedWhenReceived.push(store.started)
      // A slow consumer: the read-ahead has time to finish, yet no further read may start.
      await tick(5)
      expect(store.started).toBeLessThanOrEqual(received + 1)
    }
    expect(received).toBe(20)
    expect(store.maxInFlight).toBe(1)
    // The read-ahead is real: each chunk's successor was already requested when the chunk arrived.
    expect(startedWhenReceived.slice(0, -1)).toEqual(Array.from({ length: 19 }, (_, i) => i + 2))
  })

  it('stops reading when the consumer stops', async () => {
    const store = new SlowCountingStore()
    store.set('obj', bytes)
    for await (const chunk of readObjectChunks(store, 'obj', { chunkBytes: 1000 })) {
      expect(chunk[0]).toBe(0)
      break
    }
    await tick(20)
    expect(store.started).toBe(2)
  })

  it('fails with a StorageError when the object shrinks while being read', async () => {
    const store = new SlowCountingStore()
    store.set('obj', bytes)
    const read = async () => {
      for await (const _chunk of readObjectChunks(store, 'obj', { chunkBytes: 4000 })) store.set('obj', bytes.subarray(0, 5000))
    }
    await expect(read()).rejects.toBeInstanceOf(StorageError)
  })
})
