import { mkdtemp, rm, writeFile, mkdir, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { ObjectNotFoundError, StorageError } from '../../functions/core/contract/errors.js'
import { coalesceRanges, fetchCoalesced } from '../../functions/core/storage/coalesce.js'
import { CountingStore } from '../../functions/core/storage/counting-store.js'
import { LatencyStore } from '../../functions/core/storage/latency-store.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import type { ObjectStore } from '../../functions/core/storage/object-store.js'

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)
const bytesOf = (s: string) => new TextEncoder().encode(s)

async function collect(store: ObjectStore, prefix: string, startAfter?: string): Promise<string[]> {
  const keys: string[] = []
  for await (const info of store.list(prefix, startAfter === undefined ? undefined : { startAfter })) keys.push(info.key)
  return keys
}

const KEYS = ['t/a/meta.json', 't/a/data.parquet', 't/a-b/meta.json', 't/index.json.gz', 'u/x', 'top']

function describeStore(name: string, make: () => Promise<ObjectStore>) {
  describe(name, () => {
    let store: ObjectStore
    beforeAll(async () => {
      store = await make()
      for (const key of KEYS) await store.put(key, bytesOf(`<${key}>`))
    })

    it('reads whole objects and half-open ranges, clipping the end like S3', async () => {
      expect(text(await store.get('t/a/meta.json'))).toBe('<t/a/meta.json>')
      expect(text(await store.get('t/a/meta.json', { start: 1, end: 4 }))).toBe('t/a')
      expect(text(await store.get('top', { start: 2, end: 1000 }))).toBe('op>')
      expect((await store.get('top', { start: 5, end: 5 })).length).toBe(0)
      await expect(store.get('top', { start: 9, end: 12 })).rejects.toBeInstanceOf(StorageError)
    })

    it('maps a missing object to ObjectNotFoundError', async () => {
      await expect(store.get('t/nope')).rejects.toBeInstanceOf(ObjectNotFoundError)
      await expect(store.head('t/a/nope.json')).rejects.toBeInstanceOf(ObjectNotFoundError)
    })

    it('heads objects', async () => {
      const info = await store.head('top')
      expect(info.size).toBe(5)
      expect(info.key).toBe('top')
    })

    it('lists recursively in ascending key order, with startAfter', async () => {
      expect(await collect(store, 't/')).toEqual(['t/a-b/meta.json', 't/a/data.parquet', 't/a/meta.json', 't/index.json.gz'])
      expect(await collect(store, 't/a')).toEqual(['t/a-b/meta.json', 't/a/data.parquet', 't/a/meta.json'])
      expect(await collect(store, '')).toEqual([...KEYS].sort())
      expect(await collect(store, 't/', 't/a/data.parquet')).toEqual(['t/a/meta.json', 't/index.json.gz'])
      expect(await collect(store, 'zzz/')).toEqual([])
    })

    it('lists folders directly below a prefix', async () => {
      expect(await store.listFolders('t/')).toEqual(['t/a-b/', 't/a/'])
      expect(await store.listFolders('')).toEqual(['t/', 'u/'])
    })

    it('overwrites atomically', async () => {
      await store.put('u/x', bytesOf('new'))
      expect(text(await store.get('u/x'))).toBe('new')
    })
  })
}

describeStore('MemoryStore', async () => new MemoryStore())

let fsRoot = ''
describeStore('FsStore', async () => {
  fsRoot = await mkdtemp(join(tmpdir(), 'tempo-batch-fs-'))
  return new FsStore(fsRoot)
})
afterAll(async () => {
  if (fsRoot) await rm(fsRoot, { recursive: true, force: true })
})

describe('FsStore safety', () => {
  it('rejects keys that could leave the root and leaves no temp files', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tempo-batch-fs-'))
    try {
      await mkdir(join(root, 'd'))
      await writeFile(join(root, 'd', 'f'), 'x')
      const store = new FsStore(join(root, 'd'))
      for (const key of ['../f', 'a/../../f', '/etc/passwd', 'a\\b', './f']) {
        await expect(store.get(key)).rejects.toBeInstanceOf(StorageError)
      }
      await store.put('x/y', bytesOf('1'))
      expect(await readdir(join(root, 'd', 'x'))).toEqual(['y'])
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })
})

describe('coalesceRanges', () => {
  it('merges overlapping, touching and near ranges, ascending', () => {
    const ranges = [
      { start: 100, end: 200 },
      { start: 0, end: 10 },
      { start: 10, end: 20 },
      { start: 150, end: 160 },
      { start: 230, end: 240 },
      { start: 5, end: 5 },
    ]
    expect(coalesceRanges(ranges, 0)).toEqual([
      { start: 0, end: 20 },
      { start: 100, end: 200 },
      { start: 230, end: 240 },
    ])
    expect(coalesceRanges(ranges, 30)).toEqual([
      { start: 0, end: 20 },
      { start: 100, end: 240 },
    ])
    expect(coalesceRanges(ranges, 80)).toEqual([{ start: 0, end: 240 }])
  })
})

describe('CountingStore', () => {
  it('counts requests, bytes and sequential rounds; coalesced fetches are one GET per merged range', async () => {
    const memory = new MemoryStore()
    memory.set('k', new Uint8Array(1000).map((_, i) => i % 256))
    const counting = new CountingStore(memory)
    const fetched = await fetchCoalesced(counting, 'k', [{ start: 0, end: 10 }, { start: 12, end: 20 }, { start: 500, end: 600 }], { gapBytes: 4 })
    expect(counting.counts()).toEqual({ requests: 2, bytesRead: 120, rounds: 1 })
    expect([...fetched.read(13, 16)]).toEqual([13, 14, 15])
    expect(() => fetched.read(400, 410)).toThrow(StorageError)
    await Promise.all([counting.get('k', { start: 0, end: 1 }), counting.head('k')])
    expect(counting.counts().rounds).toBe(2)
    await counting.get('k', { start: 0, end: 1 })
    expect(counting.counts()).toEqual({ requests: 5, bytesRead: 122, rounds: 3 })
    counting.reset()
    expect(counting.counts()).toEqual({ requests: 0, bytesRead: 0, rounds: 0 })
  })
})

describe('LatencyStore', () => {
  // On a clock the test drives: a loaded machine can neither make it late nor early (issue 14).
  afterEach(() => {
    vi.useRealTimers()
  })

  it('adds a fixed latency plus transfer time per request; concurrent requests overlap', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] })
    const memory = new MemoryStore()
    memory.set('k', new Uint8Array(100_000))
    const slow = new LatencyStore(memory, { latencyMs: 30, bytesPerSecond: 10e6 })
    expect(slow.costMs(100_000)).toBeCloseTo(40)
    let done = 0
    const both = Promise.all([slow.get('k'), slow.get('k')]).then((results) => ((done = 2), results))
    await vi.advanceTimersByTimeAsync(39)
    expect(done).toBe(0)
    // Both answer at 40 ms of the driven clock, not 80: they overlap as S3 requests do.
    await vi.advanceTimersByTimeAsync(1)
    expect(done).toBe(2)
    expect((await both).map((b) => b.length)).toEqual([100_000, 100_000])
  })
})
