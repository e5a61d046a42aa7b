import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseBlockMeta } from '../../functions/core/blocks/meta.js'
import { bloomShardOf } from '../../functions/core/bloom/bloom-filter.js'
import { BlockError, CorruptBlockError } from '../../functions/core/contract/errors.js'
import { findTracesInBlock } from '../../functions/core/search/find-traces.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { compareBytes, parseTraceId } from '../../functions/core/contract/trace-id.js'
import { FsStore } from '../../functions/adapters/fs-store.js'
import type { Trace } from '../../functions/core/otlp/model.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoBlocksDir, tempoGeneratedDir } from '../support/shared-fixtures.js'
import { fileBuffer, generatedBlocks, referenceTraceIds, type FixtureBlock } from '../parquet/fixture-blocks.js'
import { traceIdToHex } from '../../functions/core/contract/trace-id.js'

sharedFixturesSkipNote('findTracesInBlock')

const ABSENT = ['5b8efff798038103d269b633813fc60c', '00000000000000000000000000000000', 'ffffffffffffffffffffffffffffffff']

interface DerivedBlock {
  block: string
  metaFormat: string
  columns: string[]
  rows: (string | number)[][]
}

const spanCount = (trace: Trace) => (trace.resourceSpans ?? []).reduce((n, rs) => n + (rs.scopeSpans ?? []).reduce((m, ss) => m + (ss.spans ?? []).length, 0), 0)
const sortIds = (ids: Uint8Array[]) => [...ids].sort(compareBytes)

describe.skipIf(!hasSharedFixtures)('findTracesInBlock on the canonical test blocks', () => {
  const derived: DerivedBlock[] = hasSharedFixtures ? JSON.parse(readFileSync(join(tempoBlocksDir, 'DERIVED-trace-summaries.json'), 'utf8')).blocks : []
  for (const summary of derived.filter((d) => d.metaFormat !== 'vParquet')) {
    it(`${summary.block}: every trace found with the derived resource/span counts; absent IDs not found`, async () => {
      const [format, tenant] = summary.block.split('/') as [string, string]
      const store = new FsStore(join(tempoBlocksDir, format))
      const meta = parseBlockMeta(JSON.parse(readFileSync(join(tempoBlocksDir, summary.block, 'meta.json'), 'utf8')))
      const col = (name: string) => summary.columns.indexOf(name)
      const ids = sortIds([...summary.rows.map((r) => parseTraceId(String(r[col('traceIdHex')]))), ...ABSENT.map((h) => parseTraceId(h))])
      const result = await findTracesInBlock(store, tenant, meta, ids)
      expect(result.error).toBeUndefined()
      expect(result.found.size).toBe(summary.rows.length)
      expect(result.notFound).toEqual([...ABSENT].sort())
      for (const row of summary.rows) {
        const trace = result.found.get(String(row[col('traceIdHex')]))
        expect(trace?.resourceSpans?.length, String(row[0])).toBe(row[col('resourceSpans')])
        expect(spanCount(trace!), String(row[0])).toBe(row[col('spans')])
      }
      expect(result.stats.rowsDecoded).toBe(summary.rows.length)
    })
  }
})

/** Copy a fixture block's objects into a MemoryStore under `<tenant>/<blockId>/`. */
function copyInto(store: MemoryStore, block: FixtureBlock, tenant: string): void {
  for (const name of readdirSync(block.dir)) store.set(`${tenant}/${block.meta.blockID}/${name}`, new Uint8Array(readFileSync(join(block.dir, name))))
}

describe.skipIf(!hasSharedFixtures)('findTracesInBlock: block failures are data', () => {
  const tenant = 'single-tenant'
  async function setUp() {
    const [damagedBlock, healthyBlock] = generatedBlocks(2).filter((b) => b.label.startsWith('vParquet4'))
    const store = new MemoryStore()
    copyInto(store, damagedBlock!, tenant)
    copyInto(store, healthyBlock!, tenant)
    const damagedIds = sortIds(await referenceTraceIds(fileBuffer(damagedBlock!)))
    const healthyIds = sortIds(await referenceTraceIds(fileBuffer(healthyBlock!)))
    const metaOf = (b: FixtureBlock) => parseBlockMeta(b.meta)
    return { store, damaged: metaOf(damagedBlock!), healthy: metaOf(healthyBlock!), damagedIds, healthyIds }
  }

  async function expectHealthyUnaffected(store: MemoryStore, healthy: ReturnType<typeof parseBlockMeta>, ids: Uint8Array[]) {
    const result = await findTracesInBlock(store, tenant, healthy, ids)
    expect(result.error).toBeUndefined()
    expect(result.found.size).toBe(ids.length)
  }

  it('a truncated data.parquet is a CorruptBlockError naming tenant and block', async () => {
    const { store, damaged, healthy, damagedIds, healthyIds } = await setUp()
    const key = `${tenant}/${damaged.blockId}/data.parquet`
    const bytes = await store.get(key)
    store.set(key, bytes.subarray(0, Math.floor(bytes.length / 2)))
    const result = await findTracesInBlock(store, tenant, damaged, damagedIds)
    expect(result.error).toBeInstanceOf(CorruptBlockError)
    expect(result.error!.message).toContain(`${tenant}/${damaged.blockId}`)
    expect(result.found.size).toBe(0)
    await expectHealthyUnaffected(store, healthy, healthyIds)
  })

  it('a damaged page (footer intact) is a CorruptBlockError, never a throw', async () => {
    const { store, damaged, damagedIds } = await setUp()
    const key = `${tenant}/${damaged.blockId}/data.parquet`
    const bytes = (await store.get(key)).slice()
    bytes.fill(0xee, 4, Math.floor(bytes.length / 3))
    store.set(key, bytes)
    const result = await findTracesInBlock(store, tenant, damaged, damagedIds)
    expect(result.error).toBeInstanceOf(BlockError)
    expect(result.error!.message).toContain(`${tenant}/${damaged.blockId}`)
  })

  it('a missing bloom shard fails only the IDs of that shard', async () => {
    const { store, damaged, healthy, damagedIds, healthyIds } = await setUp()
    expect(damaged.bloomShards).toBeGreaterThan(1)
    store.delete(`${tenant}/${damaged.blockId}/bloom-0`)
    const result = await findTracesInBlock(store, tenant, damaged, damagedIds)
    expect(result.error).toBeInstanceOf(BlockError)
    expect(result.error!.message).toContain(`${tenant}/${damaged.blockId}`)
    expect(result.error!.message).toContain('bloom-0')
    const inOtherShards = damagedIds.filter((id) => bloomShardOf(id, damaged.bloomShards) !== 0)
    expect(inOtherShards.length).toBeGreaterThan(0)
    expect([...result.found.keys()].sort()).toEqual(inOtherShards.map(traceIdToHex).sort())
    await expectHealthyUnaffected(store, healthy, healthyIds)
  })

  it('a garbage bloom shard is a CorruptBlockError', async () => {
    const { store, damaged, damagedIds } = await setUp()
    store.set(`${tenant}/${damaged.blockId}/bloom-1`, new TextEncoder().encode('not a bloom filter'))
    const result = await findTracesInBlock(store, tenant, damaged, damagedIds)
    expect(result.error).toBeInstanceOf(CorruptBlockError)
    expect(result.error!.message).toContain(`${tenant}/${damaged.blockId}`)
  })

  it('an unsupported format is an UnsupportedFormatError for that block only', async () => {
    const { store, damaged, damagedIds } = await setUp()
    const result = await findTracesInBlock(store, tenant, { ...damaged, format: 'vParquet9' }, damagedIds)
    expect(result.error?.name).toBe('UnsupportedFormatError')
    expect(result.stats.requests).toBe(0)
  })

  it('an aborted search rejects instead of reporting a block error', async () => {
    const { store, damaged, damagedIds } = await setUp()
    const controller = new AbortController()
    controller.abort()
    await expect(findTracesInBlock(store, tenant, damaged, damagedIds, { signal: controller.signal })).rejects.toThrow()
  })

  it('bloom-rejected IDs never touch data.parquet', async () => {
    const store = new FsStore(join(tempoGeneratedDir, 'bench', 'vParquet4'))
    const metaDir = readdirSync(join(tempoGeneratedDir, 'bench', 'vParquet4', 'bench')).find((n) => n.includes('-'))!
    const meta = parseBlockMeta(JSON.parse(readFileSync(join(tempoGeneratedDir, 'bench', 'vParquet4', 'bench', metaDir, 'meta.json'), 'utf8')))
    const result = await findTracesInBlock(store, 'bench', meta, [parseTraceId(ABSENT[0]!)])
    expect(result.notFound).toEqual([ABSENT[0]])
    expect(result.stats.bloomRejects).toBe(1)
    expect(result.stats.requests).toBe(1)
    expect(result.stats.phaseMs.footer).toBe(0)
  })
})
