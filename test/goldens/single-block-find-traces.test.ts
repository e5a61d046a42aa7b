import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import type { BlockMeta } from '../../functions/core/blocks/block-meta.js'
import { finalizeTrace } from '../../functions/core/combine/finalize.js'
import { findTracesInBlock } from '../../functions/core/search/find-traces.js'
import { traceToJson } from '../../functions/core/otlp/json.js'
import { compareBytes, parseTraceId } from '../../functions/core/contract/trace-id.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoGeneratedDir } from '../support/shared-fixtures.js'
import { rawMember, readMeta, type GoldenRecord } from './golden-records.js'
import { singleBlockRecords, ZIPKIN_DEDUPED } from './single-block-harness.js'

/**
 * The single-block golden acceptance again, but through the real block reader (`findTracesInBlock`:
 * bloom, footer, page index, only the wanted pages and columns): all IDs of a block in one batch.
 */

const correctnessDir = join(tempoGeneratedDir, 'correctness')

describe.skipIf(!hasSharedFixtures)('single-block goldens through findTracesInBlock', () => {
  sharedFixturesSkipNote('single-block goldens through findTracesInBlock')
  for (const format of ['vParquet3', 'vParquet4', 'vParquet5']) {
    for (const tenant of ['single-tenant', 'tenant-b']) {
      it(`${format} ${tenant}: every single-block golden trace, batched per block`, async () => {
        const store = new FsStore(join(correctnessDir, format))
        const byBlock = new Map<string, GoldenRecord[]>()
        for (const r of singleBlockRecords(format, tenant)) byBlock.set(r.blocks[0]!, [...(byBlock.get(r.blocks[0]!) ?? []), r])
        let exact = 0
        let total = 0
        let zipkin = 0
        for (const [blockId, records] of byBlock) {
          const meta: BlockMeta = readMeta(join(correctnessDir, format, tenant, blockId))
          const ids = records.map((r) => parseTraceId(r.traceId)).sort(compareBytes)
          const result = await findTracesInBlock(store, tenant, meta, ids)
          expect(result.error, `${blockId}: ${result.error?.message}`).toBeUndefined()
          for (const record of records) {
            total++
            const trace = result.found.get(record.traceId)
            expect(trace, `${record.traceId} not found in ${blockId}`).toBeDefined()
            const want = rawMember(record.raw, ['v2', 'trace'])
            expect(traceToJson(finalizeTrace(trace!, 1)), `${format}/${tenant} ${record.traceId}`).toBe(want)
            // Byte-exact without the frontend step too, except the Zipkin span-ID rename.
            if (traceToJson(trace!) === want) exact++
            else if (ZIPKIN_DEDUPED.has(record.traceId)) zipkin++
          }
        }
        expect(exact).toBe(total - zipkin)
        expect(exact).toBeGreaterThan(50)
      }, 120_000)
    }
  }
})
