import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { StorageError } from '../../functions/core/contract/errors.js'

// A file that shrinks between stat and read: the handle's stat reports more bytes than the file holds.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>()
  return {
    ...actual,
    open: async (...args: Parameters<typeof actual.open>) => {
      const handle = await actual.open(...args)
      const stat = handle.stat.bind(handle)
      return Object.assign(handle, { stat: async () => Object.assign(await stat(), { size: (await stat()).size + 100 }) })
    },
  }
})

const { FsStore } = await import('../../functions/adapters/fs-store.js')

/** Issue 11, short reads: the filesystem store never pads a read with zeros; a short read is a StorageError. */
describe('FsStore short reads', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tempo-batch-short-'))
    await writeFile(join(dir, 'k'), 'x'.repeat(50))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('a whole-object read and a ranged read of a shrunken file fail instead of returning zeros', async () => {
    const store = new FsStore(dir)
    await expect(store.get('k')).rejects.toThrow(StorageError)
    await expect(store.get('k', { start: 40, end: 120 })).rejects.toThrow(/read failed/)
  })
})
