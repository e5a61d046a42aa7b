import { describe, expect, it } from 'vitest'
import { parquetMetadata, parquetReadObjects, readColumnIndex, readOffsetIndex } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { BloomFilter, bloomShardOf } from '../../functions/core/bloom/bloom-filter.js'
import { parseBlockMeta } from '../../functions/core/blocks/meta.js'
import { decodeTenantIndexJson, decodeTenantIndexProto } from '../../functions/core/blocks/tenant-index.js'
import { resolveFormat } from '../../functions/core/formats/registry.js'
import { traceToJson } from '../../functions/core/otlp/json.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { compareBytes, traceIdToHex } from '../../functions/core/contract/trace-id.js'
import { generateTenant } from '../../functions/generator/generate-tenant.js'
import { DEFAULT_DEDICATED_COLUMNS, dedicatedColumnsForFormat, dedicatedSlots } from '../../functions/generator/tempo/dedicated.js'
import { tempoReadBack } from '../../functions/generator/tempo/read-back.js'
import { materializeTrace, planTenant } from '../../functions/generator/tenant-plan.js'

/**
 * Generated blocks read back through hyparquet and the format converter give exactly the synthesised
 * traces, modulo Tempo's documented lossy points, which `tempoReadBack` applies and lists: span/link
 * `flags` and `schemaUrl` are not stored; resource attributes come back generic-sorted, then dedicated,
 * then service.name and (vP4) the k8s well-known columns; span attributes generic, then dedicated, then
 * (vP4) http.method/url/status_code; vP5 dedicated one-element arrays read back as scalars, empty ones vanish.
 */

const options = { seed: 42, blocks: 3, tracesPerBlock: 40, rowGroupBytes: 150_000, pageBytes: 8_192, bloomShardBytes: 16, now: new Date('2026-01-15T12:00:00Z') }

const toBuffer = (bytes: Uint8Array): ArrayBuffer => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer

for (const format of ['vParquet4', 'vParquet5'] as const) {
  describe(`generated ${format} tenant`, async () => {
    const store = new MemoryStore()
    const summary = await generateTenant(store, { tenant: 'gen', format, ...options })
    const plan = planTenant(options)
    const slots = dedicatedSlots(format, dedicatedColumnsForFormat(format, DEFAULT_DEDICATED_COLUMNS))

    it('writes every block object and a tenant index listing the blocks', async () => {
      expect(summary.blocks.map((b) => b.blockId)).toEqual(plan.map((b) => b.blockId))
      expect(summary.replicatedTraceIds.length + summary.splitTraceIds.length).toBeGreaterThan(0)
      const index = decodeTenantIndexProto(await store.get('gen/index.pb.zst'))
      expect(index.meta.map((m) => m.blockId)).toEqual(plan.map((b) => b.blockId))
      expect(decodeTenantIndexJson(await store.get('gen/index.json.gz')).meta).toEqual(index.meta)
      for (const block of plan) {
        const meta = parseBlockMeta(JSON.parse(new TextDecoder().decode(await store.get(`gen/${block.blockId}/meta.json`))))
        expect(meta).toMatchObject({ format, blockId: block.blockId, tenantId: 'gen', totalObjects: block.traces.length, replicationFactor: 1 })
        const data = await store.get(`gen/${block.blockId}/data.parquet`)
        expect(meta.size).toBe(data.length)
        expect(new DataView(data.buffer, data.byteOffset).getUint32(data.length - 8, true)).toBe(meta.footerSize)
        // Every trace ID is in its bloom shard.
        const shards = await Promise.all(Array.from({ length: meta.bloomShards }, async (_, n) => BloomFilter.parse(await store.get(`gen/${block.blockId}/bloom-${n}`))))
        expect(meta.bloomShards).toBeGreaterThan(1)
        for (const t of block.traces) expect(shards[bloomShardOf(t.traceId, meta.bloomShards)]!.has(t.traceId)).toBe(true)
      }
    })

    it('stores rows sorted by TraceID, several row groups, the index naming each group\'s last ID', async () => {
      for (const block of plan) {
        const file = toBuffer(await store.get(`gen/${block.blockId}/data.parquet`))
        const md = parquetMetadata(file)
        expect(md.row_groups.length).toBeGreaterThan(1)
        const rows = await parquetReadObjects({ file, columns: ['TraceID'], utf8: false })
        const ids = rows.map((r) => r.TraceID as Uint8Array)
        expect(ids.map(traceIdToHex)).toEqual(block.traces.map((t) => traceIdToHex(t.traceId)))
        for (let i = 1; i < ids.length; i++) expect(compareBytes(ids[i - 1]!, ids[i]!)).toBe(-1)
        const index = JSON.parse(new TextDecoder().decode(await store.get(`gen/${block.blockId}/index`))) as { rowGroups: string[] }
        let end = 0
        const lastIds = md.row_groups.map((rg) => traceIdToHex(ids[(end += Number(rg.num_rows)) - 1]!))
        expect(index.rowGroups.map((b64) => Buffer.from(b64, 'base64').toString('hex'))).toEqual(lastIds)
      }
    })

    it('has a ColumnIndex and OffsetIndex on every chunk; TraceID page bounds match the rows', async () => {
      const block = plan[0]!
      const file = toBuffer(await store.get(`gen/${block.blockId}/data.parquet`))
      const md = parquetMetadata(file)
      const view = new DataView(file)
      const leaves = md.schema.filter((s) => s.type)
      const latin1 = { stringFromBytes: (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('latin1') : undefined) }
      let rowBase = 0
      for (const rg of md.row_groups) {
        for (const [i, col] of rg.columns.entries()) {
          const oi = readOffsetIndex({ view, offset: Number(col.offset_index_offset) })
          const ci = readColumnIndex({ view, offset: Number(col.column_index_offset) }, leaves[i]!, latin1)
          expect(oi.page_locations.length).toBe(ci.null_pages.length)
          expect(oi.page_locations[0]!.offset).toBe(col.meta_data!.data_page_offset)
          if (col.meta_data!.path_in_schema.join('.') !== 'TraceID') continue
          oi.page_locations.forEach((loc, p) => {
            const first = rowBase + Number(loc.first_row_index)
            const next = p + 1 < oi.page_locations.length ? rowBase + Number(oi.page_locations[p + 1]!.first_row_index) : rowBase + Number(rg.num_rows)
            expect(Buffer.from(ci.min_values[p] as unknown as string, 'latin1').toString('hex')).toBe(traceIdToHex(block.traces[first]!.traceId))
            expect(Buffer.from(ci.max_values[p] as unknown as string, 'latin1').toString('hex')).toBe(traceIdToHex(block.traces[next - 1]!.traceId))
          })
        }
        rowBase += Number(rg.num_rows)
      }
    })

    it('converts back to exactly the synthesised traces (modulo the documented lossy points)', async () => {
      let compared = 0
      let partial = 0
      for (const [b, block] of plan.entries()) {
        const file = toBuffer(await store.get(`gen/${block.blockId}/data.parquet`))
        const meta = summary.metas[b]!
        const reader = resolveFormat(meta)
        const rows = await parquetReadObjects({ file, utf8: false, compressors })
        expect(rows.length).toBe(block.traces.length)
        rows.forEach((row, r) => {
          const planned = block.traces[r]!
          const { trace } = materializeTrace(planned)
          if (planned.part) partial++
          expect(traceToJson(reader.convertRow(row, meta))).toBe(traceToJson(tempoReadBack(trace, format, slots)))
          compared++
        })
      }
      expect(compared).toBe(summary.rows)
      expect(partial).toBeGreaterThan(0)
    })
  })
}
