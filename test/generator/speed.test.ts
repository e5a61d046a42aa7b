import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { generateTenant } from '../../functions/generator/generate-tenant.js'

/**
 * Generation speed, logged for the record (target: 1 million spans per minute). The machine is shared,
 * so the figure that matters is spans per CPU minute; the assertion is only a loose floor.
 */
describe('generator speed', () => {
  it('generates a vParquet4 tenant and reports spans per minute', async () => {
    const store = new MemoryStore()
    const s = await generateTenant(store, { tenant: 'speed', format: 'vParquet4', seed: 5, blocks: 2, tracesPerBlock: 600, rowGroupBytes: 4_000_000 })
    console.log(`[generator speed] ${s.spans} spans, ${s.bytes} bytes in ${Math.round(s.elapsedMs)} ms wall / ${Math.round(s.cpuMs)} ms CPU: ${s.spansPerMinute} spans/min wall, ${s.spansPerCpuMinute} spans/CPU-min`)
    expect(s.spans).toBeGreaterThan(20_000)
    expect(s.spansPerCpuMinute).toBeGreaterThan(200_000)
  })
})
