import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { ObjectNotFoundError } from '../../functions/core/contract/errors.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { describeObjectStoreContract } from '../support/object-store-contract.js'

// The S3 adapter runs the same suite against fauxqs in s3-store.test.ts.
describeObjectStoreContract('FsStore (temporary directory)', async () => {
  const root = await mkdtemp(join(tmpdir(), 'tempo-batch-contract-'))
  return { store: new FsStore(root), dispose: () => rm(root, { recursive: true, force: true }) }
})

describeObjectStoreContract('MemoryStore', async () => ({ store: new MemoryStore() }))

// Files kept open between reads (the embedded runtime's Tempo store): the same contract, with two
// handles at most so that eviction while reading happens too, and overwrites must be seen.
describeObjectStoreContract('FsStore keeping files open', async () => {
  const root = await mkdtemp(join(tmpdir(), 'tempo-batch-contract-open-'))
  const store = new FsStore(root, { openFiles: 2 })
  return { store, dispose: () => store.close().then(() => rm(root, { recursive: true, force: true })) }
})

describe('FsStore keeping files open', () => {
  it('reads many ranges of a few files concurrently with fewer handles than files, and sees overwrites', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tempo-batch-open-files-'))
    const store = new FsStore(root, { openFiles: 2 })
    try {
      const files = ['a', 'b', 'c', 'd'].map((name, i) => ({ key: `t/${name}`, bytes: Uint8Array.from({ length: 4096 }, (_, j) => (i * 31 + j) & 0xff) }))
      for (const f of files) await store.put(f.key, f.bytes)
      const reads = Array.from({ length: 200 }, (_, n) => {
        const f = files[n % files.length]!
        const start = (n * 37) % 4000
        return store.get(f.key, { start, end: start + 64 }).then((got) => expect(got).toEqual(f.bytes.subarray(start, start + 64)))
      })
      await Promise.all(reads)
      await store.put('t/a', Uint8Array.of(1, 2, 3))
      expect(await store.get('t/a')).toEqual(Uint8Array.of(1, 2, 3))
      await expect(store.get('t/missing')).rejects.toBeInstanceOf(ObjectNotFoundError)
    } finally {
      await store.close()
      await rm(root, { recursive: true, force: true })
    }
  })
})
