import { join } from 'node:path'
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { describe, expect, it } from 'vitest'
import type { BlockMeta } from '../../functions/core/blocks/block-meta.js'
import { finalizeTrace } from '../../functions/core/combine/finalize.js'
import { resolveFormat } from '../../functions/core/formats/registry.js'
import { traceToJson } from '../../functions/core/otlp/json.js'
import { traceFromJson } from '../../functions/core/otlp/json-parse.js'
import { traceProtoSize } from '../../functions/core/otlp/protobuf.js'
import { spanToken } from '../../functions/core/combine/span-token.js'
import type { Trace } from '../../functions/core/otlp/model.js'
import { traceIdToHex } from '../../functions/core/contract/trace-id.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoGeneratedDir } from '../support/shared-fixtures.js'
import { rawMember, readGoldens, readMeta, type GoldenRecord } from './golden-records.js'

/**
 * Golden acceptance (issue 2) for one format: every unwindowed golden record whose trace lies in
 * exactly one block is converted from that block's row and compared with the golden `v2.trace`, as a
 * JSON value and byte for byte. The only records allowed to differ are the Zipkin shared-span-ID
 * traces: Tempo's frontend renames the SERVER span (spec §7.4 step 4), which is the combiner's job;
 * after the combiner's `finalizeTrace` (one contributor) every record must be byte-exact.
 */

const correctnessDir = join(tempoGeneratedDir, 'correctness')

/** Traces whose golden went through the frontend's Zipkin SERVER/CLIENT span-ID dedupe. */
export const ZIPKIN_DEDUPED = new Set(['45914750d7e68df318282ba03ac7bf91'])

function spanTokens(trace: Trace): bigint[] {
  return (trace.resourceSpans ?? []).flatMap((rs) => (rs.scopeSpans ?? []).flatMap((ss) => (ss.spans ?? []).map(spanToken)))
}

type RowsByTraceId = Map<string, Record<string, unknown>>

async function readBlockRows(blockDir: string): Promise<RowsByTraceId> {
  const file = await asyncBufferFromFile(join(blockDir, 'data.parquet'))
  const rows = (await parquetReadObjects({ file, compressors, utf8: false })) as Record<string, unknown>[]
  return new Map(rows.map((row) => [traceIdToHex(row.TraceID as Uint8Array), row]))
}

/** Records of one format and tenant that the single-block acceptance covers. */
export function singleBlockRecords(format: string, tenant: string): GoldenRecord[] {
  return readGoldens(correctnessDir, format, tenant).filter((r) => r.start === 0 && r.end === 0 && r.blocks.length === 1)
}

/** Run the acceptance for one format over both tenants. */
export function describeSingleBlockGoldens(format: string, expectedCounts: Record<string, number>): void {
  describe.skipIf(!hasSharedFixtures)(`single-block goldens ${format}`, () => {
    sharedFixturesSkipNote(`single-block goldens ${format}`)
    for (const tenant of ['single-tenant', 'tenant-b']) {
      it(`${tenant}: every single-block trace converts to the golden v2 trace`, async () => {
        const records = singleBlockRecords(format, tenant)
        expect(records.length).toBe(expectedCounts[tenant])
        const blocks = new Map<string, { rows: RowsByTraceId; meta: BlockMeta }>()
        let exact = 0
        const valueMismatches: string[] = []
        const zipkinOnly: string[] = []
        for (const record of records) {
          const blockId = record.blocks[0]!
          const blockDir = join(correctnessDir, format, tenant, blockId)
          let block = blocks.get(blockId)
          if (!block) blocks.set(blockId, (block = { rows: await readBlockRows(blockDir), meta: readMeta(blockDir) }))
          const { rows, meta } = block
          const row = rows.get(record.traceId)
          expect(row, `${record.traceId} not in block ${blockId}`).toBeDefined()
          const trace: Trace = resolveFormat(meta).convertRow(row!, meta)
          const want = rawMember(record.raw, ['v2', 'trace'])
          const got = traceToJson(trace)
          if (got === want) exact++
          else if (ZIPKIN_DEDUPED.has(record.traceId)) zipkinOnly.push(record.traceId)
          else {
            valueMismatches.push(record.traceId)
            expect(JSON.parse(got), `${format}/${tenant} ${record.traceId} (${record.category})`).toEqual(JSON.parse(want))
          }
          // Parts carry this JSON and the merge reads it back for combining: the combiner must see the same
          // span tokens and protobuf size (max_bytes_per_trace), and the JSON must come out the same again.
          // (Only NaN payload bits do not survive JSON, and nothing here depends on them.)
          const readBack = traceFromJson(JSON.parse(got))
          expect(traceProtoSize(readBack), `${record.traceId} JSON read back: size`).toBe(traceProtoSize(trace))
          expect(spanTokens(readBack), `${record.traceId} JSON read back: span tokens`).toEqual(spanTokens(trace))
          expect(traceToJson(readBack), `${record.traceId} JSON read back: JSON`).toBe(got)
          // What the query-frontend does with a single contributing block (no sort, Zipkin rename) makes every record exact.
          expect(traceToJson(finalizeTrace(trace, 1)), `${format}/${tenant} ${record.traceId} after finalizeTrace`).toBe(want)
        }
        console.info(`[goldens] ${format} ${tenant}: ${exact}/${records.length} byte-exact from conversion alone; exact after the frontend's Zipkin rename: ${zipkinOnly.join(', ') || 'none'}`)
        expect(valueMismatches).toEqual([])
        expect(exact + zipkinOnly.length).toBe(records.length)
      }, 120_000)
    }
  })
}
