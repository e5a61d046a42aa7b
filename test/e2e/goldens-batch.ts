import { afterAll, beforeAll, describe, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EmbeddedInvoker } from '../../functions/adapters/embedded-invoker.js'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'
import { expectGoldensThroughEmbeddedPool } from './golden-rounds.js'
import { backendRoot, type FORMATS } from './goldens.js'

/**
 * The CLI's core path: runBatch with readers on the embedded worker pool, results on disk, for every
 * golden query of one format (one test file per format keeps each file's run time bounded).
 */
export function goldensThroughBatchPath(format: (typeof FORMATS)[number]): void {
  sharedFixturesSkipNote('e2e goldens through the batch path')
  describe.skipIf(!hasSharedFixtures)(`every ${format} golden query through runBatch + embedded workers`, () => {
    let resultsDir: string
    beforeAll(async () => {
      resultsDir = await mkdtemp(join(tmpdir(), 'tempo-batch-goldens-'))
    })
    afterAll(async () => {
      await rm(resultsDir, { recursive: true, force: true })
    })

    it(`${format}: every record of both tenants matches Tempo's v2 trace and status`, { timeout: 180_000 }, async () => {
      const root = backendRoot(format)
      // Small ID chunks, read windows and fetch rounds: every reader walks its blocks in many steps, letting
      // pages go between them, which must not change a single answer.
      const invoker = new EmbeddedInvoker({ store: root, results: resultsDir, workers: 2, idsPerChunk: 24, readWindowBytes: 16 * 1024, fetchRoundBytes: 48 * 1024 })
      await expectGoldensThroughEmbeddedPool(format, { tempoStore: new FsStore(root), resultStore: new FsStore(resultsDir) }, invoker, 'batch path')
    })
  })
}
