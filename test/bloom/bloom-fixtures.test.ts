import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { describe, expect, it } from 'vitest'
import { BloomFilter, bloomParameters, bloomShardOf } from '../../functions/core/bloom/bloom-filter.js'
import { parseTraceId } from '../../functions/core/contract/trace-id.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoBlocksDir, tempoGeneratedDir } from '../support/shared-fixtures.js'

/** Every block directory (with meta.json or meta.compacted.json) below a backend root. */
function blockDirs(root: string): string[] {
  const out: string[] = []
  for (const tenant of readdirSync(root, { withFileTypes: true })) {
    if (!tenant.isDirectory()) continue
    for (const block of readdirSync(join(root, tenant.name), { withFileTypes: true })) {
      const dir = join(root, tenant.name, block.name)
      if (block.isDirectory() && (existsSync(join(dir, 'meta.json')) || existsSync(join(dir, 'meta.compacted.json')))) out.push(dir)
    }
  }
  return out
}

function readMeta(dir: string): { bloomShards?: number; totalObjects: number } {
  const file = existsSync(join(dir, 'meta.json')) ? 'meta.json' : 'meta.compacted.json'
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as { bloomShards?: number; totalObjects: number }
}

/** Count IDs that do not test present in their shard; also returns how many were checked. */
function falseNegatives(dir: string, ids: Uint8Array[]): { checked: number; missing: string[] } {
  const meta = readMeta(dir)
  const shardCount = meta.bloomShards || 10
  const shards = Array.from({ length: shardCount }, (_, s) => BloomFilter.parse(new Uint8Array(readFileSync(join(dir, `bloom-${s}`)))))
  const missing: string[] = []
  for (const id of ids) {
    if (!shards[bloomShardOf(id, shardCount)]!.has(id)) missing.push(Buffer.from(id).toString('hex'))
  }
  return { checked: ids.length, missing }
}

async function traceIdsOf(dir: string): Promise<Uint8Array[]> {
  const file = await asyncBufferFromFile(join(dir, 'data.parquet'))
  const rows = (await parquetReadObjects({ file, columns: ['TraceID'], utf8: false, compressors })) as { TraceID: Uint8Array | string }[]
  // The pre-release vulture block stores TraceID as a hex string (spec §8).
  return rows.map(({ TraceID: id }) => {
    if (typeof id === 'string') return parseTraceId(id)
    return id.length === 16 ? id : parseTraceId(new TextDecoder().decode(id))
  })
}

sharedFixturesSkipNote('bloom fixtures')
describe.skipIf(!hasSharedFixtures)('bloom filters of real blocks: zero false negatives', () => {
  it('every trace of every canonical tempo-blocks block tests present', () => {
    const summaries = JSON.parse(readFileSync(join(tempoBlocksDir, 'DERIVED-trace-summaries.json'), 'utf8')) as {
      blocks: { block: string; rows: [string, ...unknown[]][] }[]
    }
    expect(summaries.blocks.length).toBeGreaterThanOrEqual(8)
    let checked = 0
    for (const block of summaries.blocks) {
      const result = falseNegatives(join(tempoBlocksDir, block.block), block.rows.map((r) => parseTraceId(r[0])))
      expect(result.missing, block.block).toEqual([])
      checked += result.checked
    }
    expect(checked).toBeGreaterThan(1000)
  })

  it('every trace of every other parquet block in tempo-blocks (older variants, vulture tenant) tests present', async () => {
    const roots = readdirSync(tempoBlocksDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name.startsWith('v'))
      .map((d) => join(tempoBlocksDir, d.name))
    const dirs = roots.flatMap(blockDirs).filter((dir) => existsSync(join(dir, 'data.parquet')) && existsSync(join(dir, 'bloom-0')))
    expect(dirs.length).toBeGreaterThanOrEqual(13)
    for (const dir of dirs) {
      const ids = await traceIdsOf(dir)
      expect(ids.length, dir).toBe(readMeta(dir).totalObjects)
      expect(falseNegatives(dir, ids).missing, dir).toEqual([])
    }
  })

  for (const root of ['correctness/vParquet3', 'correctness/vParquet4', 'correctness/vParquet5', 'bench/vParquet4']) {
    it(`every trace of every tempo-generated ${root} block tests present`, async () => {
      const dirs = blockDirs(join(tempoGeneratedDir, root))
      expect(dirs.length).toBeGreaterThanOrEqual(12)
      for (const dir of dirs) {
        const ids = await traceIdsOf(dir)
        const meta = readMeta(dir)
        expect(ids.length).toBe(meta.totalObjects)
        expect(falseNegatives(dir, ids).missing, dir).toEqual([])
      }
    })
  }

  it('tempo-generated builder blocks have the shard count Tempo sizing gives for their trace count', () => {
    // Correctness set: fp 0.01, 16-byte shards; bench set: 256-byte shards (README "Settings").
    for (const [root, shardBytes] of [['correctness/vParquet4', 16], ['bench/vParquet4', 256]] as const) {
      for (const dir of blockDirs(join(tempoGeneratedDir, root))) {
        const meta = readMeta(dir)
        const bloom = BloomFilter.parse(new Uint8Array(readFileSync(join(dir, 'bloom-0'))))
        const expected = bloomParameters(meta.totalObjects, 0.01, shardBytes)
        expect([bloom.m, bloom.k], dir).toEqual([expected.m, expected.k])
        expect(meta.bloomShards, dir).toBe(expected.shards)
      }
    }
  })
})
