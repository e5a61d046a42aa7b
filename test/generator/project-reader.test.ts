import { describe, expect, it } from 'vitest'
import { findTracesInBlock } from '../../functions/core/search/find-traces.js'
import { traceToJson } from '../../functions/core/otlp/json.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { compareBytes, parseTraceId, traceIdToHex } from '../../functions/core/contract/trace-id.js'
import { generateTenant } from '../../functions/generator/generate-tenant.js'
import { DEFAULT_DEDICATED_COLUMNS, dedicatedColumnsForFormat, dedicatedSlots } from '../../functions/generator/tempo/dedicated.js'
import { tempoReadBack } from '../../functions/generator/tempo/read-back.js'
import { materializeTrace, planTenant } from '../../functions/generator/tenant-plan.js'

/**
 * The project's own block reader (bloom, row-group search, page index, page-level decoding) on generated
 * blocks with many row groups and pages: every sampled trace comes back exactly, absent IDs do not.
 */
for (const format of ['vParquet4', 'vParquet5'] as const) {
  describe(`findTracesInBlock on a generated ${format} tenant`, () => {
    it('finds sampled traces exactly and reports absent IDs as not found', async () => {
      const options = { seed: 11, blocks: 2, tracesPerBlock: 150, rowGroupBytes: 120_000, pageBytes: 4_096, bloomShardBytes: 32 }
      const store = new MemoryStore()
      const summary = await generateTenant(store, { tenant: 'p', format, ...options })
      const slots = dedicatedSlots(format, dedicatedColumnsForFormat(format, DEFAULT_DEDICATED_COLUMNS))
      const plan = planTenant(options)
      for (const [b, block] of plan.entries()) {
        const meta = summary.metas[b]!
        const sample = block.traces.filter((_, i) => i % 7 === 0 || i === block.traces.length - 1)
        const absent = ['0123456789abcdef0123456789abcdef', 'ffffffffffffffffffffffffffffffff'].map((h) => parseTraceId(h))
        const ids = [...sample.map((t) => t.traceId), ...absent].sort(compareBytes)
        const result = await findTracesInBlock(store, 'p', meta, ids)
        expect(result.error).toBeUndefined()
        expect(result.found.size).toBe(sample.length)
        expect(result.notFound).toEqual(absent.map(traceIdToHex).sort())
        for (const planned of sample) {
          const got = result.found.get(traceIdToHex(planned.traceId))
          expect(got).toBeDefined()
          expect(traceToJson(got!)).toBe(traceToJson(tempoReadBack(materializeTrace(planned).trace, format, slots)))
        }
      }
    })
  })
}
