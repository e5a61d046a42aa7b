import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EmbeddedInvoker } from '../../functions/adapters/embedded-invoker.js'
import { openStore } from '../../functions/adapters/store-url.js'
import { TempoLayout } from '../../functions/core/layout.js'
import { applyAwsEnv, startFauxqs, type FauxqsHandle } from '../support/fauxqs.js'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'
import { runGoldenRounds, type GoldenRoundsResult } from './golden-rounds.js'
import { backendRoot, type FORMATS } from './goldens.js'


/**
 * Blocks and results in an S3-compatible server on loopback, read through @aws-sdk/client-s3 by the
 * coordinator and by the embedded workers (which open their own clients from the URLs). One file per format.
 */
export function goldensThroughS3(format: (typeof FORMATS)[number]): void {
  sharedFixturesSkipNote('e2e goldens with blocks and results in S3 (fauxqs)')
  describe.skipIf(!hasSharedFixtures)(`every ${format} golden query with the blocks and results in S3`, () => {
    let s3: FauxqsHandle
    let restoreEnv: () => void
    beforeAll(async () => {
      s3 = await startFauxqs()
      restoreEnv = applyAwsEnv(s3)
      await s3.createBucket('tempo')
      await s3.createBucket('results')
      await s3.uploadDirectory(backendRoot(format), 'tempo', `traces/${format}`)
    })
    afterAll(async () => {
      restoreEnv?.()
      await s3?.stop()
    })

    it(`${format}: both tenants match the goldens`, { timeout: 240_000 }, async () => {
      const storeUrl = `s3://tempo/traces/${format}`
      const resultsUrl = 's3://results/runs'
      const invoker = new EmbeddedInvoker({ store: storeUrl, results: resultsUrl, endpoint: s3.endpoint, workers: 2 })
      const deps = {
        tempoStore: openStore(storeUrl, { endpoint: s3.endpoint }),
        layout: new TempoLayout(''),
        resultStore: openStore(resultsUrl, { endpoint: s3.endpoint }),
        resultsPrefix: format,
        invoker,
        maxReaders: 8,
        minBlocksPerShard: 1,
        // Uploaded just now, the compacted inputs look freshly compacted; the goldens are the steady state.
        discovery: { compactedGraceMs: 0 },
      }
      let result: GoldenRoundsResult
      try {
        result = await runGoldenRounds(format, deps, (outcome, tenant, requestId) => {
          expect(outcome.manifest.location).toBe(`s3://results/runs/${format}/${requestId}/result.ndjson.gz`)
        })
      } finally {
        await invoker.close()
      }
      const { matched, mismatches } = result
      console.info(`[goldens ${format}] S3 matched`, matched)
      expect(mismatches.slice(0, 20)).toEqual([])
      expect(matched).toEqual({ 'single-tenant': 656, 'tenant-b': 115 })
    })
  })
}
