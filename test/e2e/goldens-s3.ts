import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EmbeddedInvoker } from '../../functions/adapters/embedded-invoker.js'
import { openStore } from '../../functions/adapters/store-url.js'
import { runBatch } from '../../functions/core/batch/coordinator.js'
import { parseBatchRequest } from '../../functions/core/batch/request.js'
import { readResultLines } from '../../functions/core/batch/result-lines.js'
import type { ResultLine } from '../../functions/core/batch/types.js'
import { TempoLayout } from '../../functions/core/layout.js'
import { applyAwsEnv, startFauxqs, type FauxqsHandle } from '../support/fauxqs.js'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'
import { backendRoot, expectedStatus, type FORMATS, loadGoldens, requestEntry, roundsOf, TENANT_LIMITS, TENANTS } from './goldens.js'


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
      const mismatches: string[] = []
      const matched: Record<string, number> = {}
      try {
        for (const tenant of TENANTS) {
          let count = 0
          for (const [index, round] of roundsOf(loadGoldens(format, tenant)).entries()) {
            const request = parseBatchRequest({ tenant, traces: round.map(requestEntry), requestId: `${tenant}-${index}` }, { tenantMaxBytesPerTrace: TENANT_LIMITS })
            const outcome = await runBatch(request, deps)
            expect(outcome.manifest.location).toBe(`s3://results/runs/${format}/${tenant}-${index}/result.ndjson.gz`)
            const lines = new Map<string, ResultLine>()
            for await (const line of readResultLines(deps.resultStore, outcome.manifest.resultKey)) lines.set(line.traceId, line)
            for (const record of round) {
              const line = lines.get(record.traceId)
              const status = expectedStatus(record)
              const wanted = status === 'not_found' ? undefined : record.v2.trace
              if (line?.status === status && JSON.stringify(line.trace) === JSON.stringify(wanted)) count++
              else mismatches.push(`${tenant} ${record.traceId} [${record.start},${record.end}]: ${line?.status}`)
            }
          }
          matched[tenant] = count
        }
      } finally {
        await invoker.close()
      }
      console.info(`[goldens ${format}] S3 matched`, matched)
      expect(mismatches.slice(0, 20)).toEqual([])
      expect(matched).toEqual({ 'single-tenant': 656, 'tenant-b': 115 })
    })
  })
}
