import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { describeObjectStoreContract } from '../support/object-store-contract.js'

// The S3 adapter runs the same suite against fauxqs in s3-store.test.ts.
describeObjectStoreContract('FsStore (temporary directory)', async () => {
  const root = await mkdtemp(join(tmpdir(), 'tempo-batch-contract-'))
  return { store: new FsStore(root), dispose: () => rm(root, { recursive: true, force: true }) }
})

describeObjectStoreContract('MemoryStore', async () => ({ store: new MemoryStore() }))
