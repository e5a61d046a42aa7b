import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EmbeddedInvoker } from '../../functions/adapters/embedded-invoker.js'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { runBatch } from '../../functions/core/batch/coordinator.js'
import { parseBatchRequest } from '../../functions/core/batch/request.js'
import { readResultLines } from '../../functions/core/batch/result-lines.js'
import type { ResultLine } from '../../functions/core/batch/types.js'
import { TempoLayout } from '../../functions/core/layout.js'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'
import { backendRoot, expectedStatus, type FORMATS, loadGoldens, requestEntry, roundsOf, TENANT_LIMITS, TENANTS } from './goldens.js'

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
      const invoker = new EmbeddedInvoker({ store: root, results: resultsDir, workers: 2 })
      const deps = {
        tempoStore: new FsStore(root),
        layout: new TempoLayout(''),
        resultStore: new FsStore(resultsDir),
        resultsPrefix: format,
        invoker,
        maxReaders: 8,
        minBlocksPerShard: 1,
        // The goldens are Tempo's steady state: compacted inputs are no longer searched.
        discovery: { compactedGraceMs: 0 },
      }
      const mismatches: string[] = []
      const matched: Record<string, number> = {}
      try {
        for (const tenant of TENANTS) {
          const rounds = roundsOf(loadGoldens(format, tenant))
          let count = 0
          for (const [index, round] of rounds.entries()) {
            const request = parseBatchRequest({ tenant, traces: round.map(requestEntry), requestId: `${tenant}-round-${index}` }, { tenantMaxBytesPerTrace: TENANT_LIMITS })
            const outcome = await runBatch(request, deps)
            expect(outcome.reused).toBe(false)
            const lines = new Map<string, ResultLine>()
            for await (const line of readResultLines(deps.resultStore, outcome.manifest.resultKey)) lines.set(line.traceId, line)
            expect(lines.size).toBe(request.traces.length)
            for (const record of round) {
              const line = lines.get(record.traceId)
              const status = expectedStatus(record)
              const wanted = status === 'not_found' ? undefined : record.v2.trace
              const where = `${tenant} ${record.traceId} [${record.start},${record.end}] ${record.category}`
              if (!line) mismatches.push(`${where}: no line`)
              else if (line.status !== status) mismatches.push(`${where}: status ${line.status} (${line.message ?? ''}), want ${status}`)
              else if (JSON.stringify(line.trace) !== JSON.stringify(wanted)) mismatches.push(`${where}: trace differs`)
              else if (status === 'too_large' && line.message !== record.v2.message) mismatches.push(`${where}: message ${line.message}`)
              else count++
            }
            expect(outcome.manifest.status).toBe('complete')
          }
          matched[tenant] = count
        }
      } finally {
        await invoker.close()
      }
      console.info(`[goldens ${format}] batch path matched`, matched, mismatches.length ? `mismatches: ${mismatches.length}` : '')
      expect(mismatches.slice(0, 20)).toEqual([])
      expect(matched).toEqual({ 'single-tenant': 656, 'tenant-b': 115 })
    })
  })
}
