import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EmbeddedInvoker } from '../../functions/adapters/embedded-invoker.js'
import { openStore } from '../../functions/adapters/store-url.js'
import { applyAwsEnv, startFauxqs, type FauxqsHandle } from '../support/fauxqs.js'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'
import { expectGoldensThroughEmbeddedPool } from './golden-rounds.js'
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
      const stores = { tempoStore: await openStore(storeUrl, { endpoint: s3.endpoint }), resultStore: await openStore(resultsUrl, { endpoint: s3.endpoint }) }
      await expectGoldensThroughEmbeddedPool(format, stores, invoker, 'S3', (outcome, tenant, requestId) => {
        expect(outcome.manifest.location).toBe(`s3://results/runs/${format}/${tenant}/${requestId}/run-1/result.ndjson.gz`)
      })
    })
  })
}
