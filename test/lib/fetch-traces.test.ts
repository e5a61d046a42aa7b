import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InvalidRequestError } from '../../functions/core/contract/errors.js'
import { fetchBatch, fetchTraces } from '../../functions/index.js'
import { generatedResultLines } from '../output/generated-results.js'
import { generatedStore, GENERATED } from '../server/generated-server.js'

describe('fetchBatch / fetchTraces from code', () => {
  it('reads an ObjectStore in this thread; results equal the batch result lines, as models', async () => {
    const { store, summary } = await generatedStore()
    const batch = await fetchBatch({ store, tenant: GENERATED.tenant, traceIds: [...summary.traceIds, 'ffff', 'eeee'] })
    expect(batch.manifest.counts).toMatchObject({ requested: summary.traceIds.length + 2, found: summary.traceIds.length, not_found: 2 })
    const lines = (await generatedResultLines()).map((l) => JSON.parse(l) as { traceId: string; status: string; trace?: unknown })
    const results = []
    for await (const r of batch.results()) results.push(r)
    expect(results.map((r) => [r.traceId, r.status])).toEqual(lines.map((l) => [l.traceId, l.status]))
    expect(results.every((r) => (r.status === 'found') === (r.trace?.resourceSpans?.length ?? 0) > 0)).toBe(true)
    await batch.close()
  })

  it('removes its temporary result directory when iteration ends, and refuses bad input before reading', async () => {
    const { store } = await generatedStore()
    // Scratch directories go to os.tmpdir(): point it at an empty folder of our own for this call.
    const scratchParent = await mkdtemp(join(tmpdir(), 'fetch-traces-test-'))
    const previous = process.env.TMPDIR
    process.env.TMPDIR = scratchParent
    const seen: string[] = []
    const scratchDuring: string[][] = []
    try {
      for await (const r of fetchTraces({ store: '/nonexistent-tempo-batch-dir', tenant: 't', traceIds: ['abc'], workers: 0 })) {
        seen.push(r.status)
        scratchDuring.push(await readdir(scratchParent))
      }
    } finally {
      if (previous === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = previous
    }
    expect(seen).toEqual(['not_found'])
    expect(scratchDuring[0]).toHaveLength(1)
    expect(await readdir(scratchParent)).toEqual([])
    await rm(scratchParent, { recursive: true })
    await expect(fetchBatch({ store, tenant: '../x', traceIds: ['abc'] })).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(fetchBatch({ store, tenant: 't', traceIds: ['xyz'] })).rejects.toThrow(/not hexadecimal/)
    expect(existsSync('/nonexistent-tempo-batch-dir')).toBe(false)
  })
})
