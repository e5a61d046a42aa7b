import { join } from 'node:path'
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { describe, expect, it } from 'vitest'
import type { BlockMeta } from '../../functions/core/blocks/block-meta.js'
import { dedupeSpanIds, finalizeTrace, partialTraceMessage, sortTrace, TraceCombiner } from '../../functions/core/combine/combiner.js'
import { resolveFormat } from '../../functions/core/formats/registry.js'
import { traceToJson } from '../../functions/core/otlp/json.js'
import type { Trace } from '../../functions/core/otlp/model.js'
import { traceProtoSize } from '../../functions/core/otlp/protobuf.js'
import { traceIdToHex } from '../../functions/core/contract/trace-id.js'
import { rawMember, readGoldens, readMeta, type GoldenRecord } from '../goldens/golden-records.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoGeneratedDir } from '../support/shared-fixtures.js'

/**
 * Golden check of the combiner (issue 2): for every golden record, the partial traces of the blocks
 * Tempo combined (`record.blocks`, read straight from data.parquet and converted by the format
 * registry) go through TraceCombiner with the tenant's limit and finalizeTrace; the result must be
 * the golden v2 trace byte for byte, with PARTIAL exactly where Tempo said so. Multi-block records are
 * also combined in reverse block order (Tempo's shard completion order varies; the goldens rely on
 * that not mattering).
 */

const correctnessDir = join(tempoGeneratedDir, 'correctness')
const LIMITS: Record<string, number> = { 'single-tenant': 5_000_000, 'tenant-b': 100_000 }

type BlockTraces = { meta: BlockMeta; traces: Map<string, Trace> }

async function readBlockTraces(blockDir: string, wanted: Set<string>): Promise<BlockTraces> {
  const meta = readMeta(blockDir)
  const format = resolveFormat(meta)
  const file = await asyncBufferFromFile(join(blockDir, 'data.parquet'))
  const rows = (await parquetReadObjects({ file, compressors, utf8: false })) as Record<string, unknown>[]
  const traces = new Map<string, Trace>()
  for (const row of rows) {
    const id = traceIdToHex(row.TraceID as Uint8Array)
    if (wanted.has(id)) traces.set(id, format.convertRow(row, meta))
  }
  return { meta, traces }
}

/** Combine the blocks' partial traces the way the query path does; returns the v2 JSON pieces. */
export function combineBlocks(partials: Trace[], maxBytes: number): { json: string; exceeded: boolean; contributors: number; combined?: Trace } {
  const combiner = new TraceCombiner(maxBytes)
  for (const partial of partials) combiner.consume(partial)
  const combined = combiner.result({ sort: false })
  const final = combined ? finalizeTrace(combined, combiner.contributors) : undefined
  return { json: final ? traceToJson(final) : '{}', exceeded: combiner.exceeded, contributors: combiner.contributors, ...(combined ? { combined } : {}) }
}

export interface GoldenCombineSummary {
  records: number
  multiBlock: number
  /** Records whose golden a rule is needed for: dropping the rule would break them. */
  needSort: number
  breakIfAlwaysSorted: number
  needZipkinDedupe: string[]
  partial: string[]
  overLimitHalves: { traceId: string; halves: number[]; combined: number; limit: number }[]
}

/** Run the golden combine check for one format over both tenants. */
export function describeGoldenCombine(format: string, expected: Record<string, { multiBlock: number; partial: number }>): void {
  describe.skipIf(!hasSharedFixtures)(`combiner on golden records ${format}`, () => {
    sharedFixturesSkipNote(`combiner goldens ${format}`)
    for (const tenant of ['single-tenant', 'tenant-b']) {
      it(`${tenant}: combine(record.blocks) + finalize === golden v2 (byte-exact), PARTIAL where Tempo said so`, async () => {
        const records: GoldenRecord[] = readGoldens(correctnessDir, format, tenant)
        const wantedByBlock = new Map<string, Set<string>>()
        for (const r of records) for (const b of r.blocks) (wantedByBlock.get(b) ?? wantedByBlock.set(b, new Set()).get(b)!).add(r.traceId)
        const blocks = new Map<string, BlockTraces>()
        for (const [blockId, wanted] of wantedByBlock) blocks.set(blockId, await readBlockTraces(join(correctnessDir, format, tenant, blockId), wanted))

        const summary: GoldenCombineSummary = { records: 0, multiBlock: 0, needSort: 0, breakIfAlwaysSorted: 0, needZipkinDedupe: [], partial: [], overLimitHalves: [] }
        const limit = LIMITS[tenant]!
        for (const record of records) {
          const order = [...record.blocks].sort()
          const partials = order.map((b) => {
            const trace = blocks.get(b)!.traces.get(record.traceId)
            expect(trace, `${record.traceId} missing in ${b}`).toBeDefined()
            return trace!
          })
          const got = combineBlocks(partials, limit)
          const label = `${format}/${tenant} ${record.traceId} ${record.category}`
          const want = rawMember(record.raw, ['v2', 'trace'])
          if (got.json !== want) expect(JSON.parse(got.json), label).toEqual(JSON.parse(want))
          expect(got.json, label).toBe(want)
          expect(got.exceeded ? 'PARTIAL' : undefined, label).toBe(record.v2.status)
          if (got.exceeded) {
            expect(record.v2.message).toBe(partialTraceMessage(limit))
            summary.partial.push(record.traceId)
            if (!record.category.includes('|')) {
              summary.overLimitHalves.push({ traceId: record.traceId, halves: partials.map(traceProtoSize), combined: traceProtoSize(got.combined!), limit })
            }
          }
          // show each rule is load-bearing: without it, these goldens would not match
          if (got.combined) {
            if (order.length >= 2 && traceToJson(dedupeSpanIds(got.combined)) !== want) summary.needSort++
            if (order.length === 1 && traceToJson(dedupeSpanIds(sortTrace(got.combined))) !== want) summary.breakIfAlwaysSorted++
            if (traceToJson(got.contributors >= 2 ? sortTrace(got.combined) : got.combined) !== want) summary.needZipkinDedupe.push(record.traceId)
          }
          if (order.length >= 2) {
            summary.multiBlock++
            const reversed = combineBlocks([...partials].reverse(), limit)
            expect(reversed.json, `${label} (reverse block order)`).toBe(want)
            expect(reversed.exceeded).toBe(got.exceeded)
          }
          summary.records++
        }
        console.info(
          `[combiner goldens] ${format} ${tenant}: ${summary.records} records byte-exact, ${summary.multiBlock} multi-block ` +
            `(${summary.needSort} need the sort), ${summary.breakIfAlwaysSorted} single-block would break if always sorted, ` +
            `Zipkin dedupe needed by ${summary.needZipkinDedupe.join(', ') || 'none'}, PARTIAL: ${summary.partial.length}`,
        )
        for (const o of summary.overLimitHalves) console.info(`[combiner goldens] ${format} ${tenant} over-limit ${o.traceId}: halves ${o.halves.join(' + ')} bytes, combined ${o.combined} > limit ${o.limit}`)
        expect(summary.multiBlock).toBe(expected[tenant]!.multiBlock)
        if (tenant === 'single-tenant') {
          expect(summary.needSort).toBeGreaterThan(10)
          expect(summary.breakIfAlwaysSorted).toBeGreaterThan(10)
          expect(summary.needZipkinDedupe).toEqual(['45914750d7e68df318282ba03ac7bf91'])
        }
        expect(summary.partial.length).toBe(expected[tenant]!.partial)
      }, 120_000)
    }
  })
}
