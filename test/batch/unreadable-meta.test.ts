import { beforeAll, describe, expect, it } from 'vitest'
import { runBatch } from '../../functions/core/batch/coordinator.js'
import { StorageError } from '../../functions/core/contract/errors.js'
import { parseBatchRequest } from '../../functions/core/contract/request.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import type { ByteRange } from '../../functions/core/storage/object-store.js'
import { memoryBatchDeps, resultLines } from '../support/memory-batch.js'
import { writeSmallTenant } from '../support/small-tenant.js'

/**
 * Issue 14, defect 5: a block whose meta.json exists but cannot be read made the block vanish: its
 * traces came back `not_found` and the manifest said `complete`. It is a fault: the IDs it may hold are
 * `partial` with the reason.
 */

const store = new MemoryStore()
let ids: string[] = []
let blocks: string[] = []

beforeAll(async () => {
  const summary = await writeSmallTenant(store, 'demo', 31)
  ids = summary.traceIds
  blocks = summary.blocks.map((b) => b.blockId)
})

/** A copy of the tenant (into `into`) with `meta.json` of the second block replaced by `bytes` when given. */
async function copyTenant<T extends MemoryStore>(into: T, meta?: Uint8Array): Promise<T> {
  for (const key of store.keys()) into.set(key, await store.get(key))
  if (meta) into.set(`demo/${blocks[1]}/meta.json`, meta)
  return into
}

/** A store whose reads of one key fail (permissions, a dead disk): a storage fault, not an absence. */
class FailingKeyStore extends MemoryStore {
  failing = ''
  override async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    if (key === this.failing) throw new StorageError(key, 'read failed: EACCES')
    return super.get(key, range)
  }
}

describe('an unreadable meta.json (issue 14, defect 5)', () => {
  it.each([
    ['not JSON', () => copyTenant(new MemoryStore(), new TextEncoder().encode('{"format":'))],
    ['naming another block', async () => copyTenant(new MemoryStore(), await store.get(`demo/${blocks[0]}/meta.json`))],
    [
      'failing to read',
      async () => {
        const failing = await copyTenant(new FailingKeyStore())
        failing.failing = `demo/${blocks[1]}/meta.json`
        return failing
      },
    ],
  ])('%s: every requested ID is partial naming the block, the manifest partial', async (_name, damaged) => {
    const tempoStore = await damaged()
    const deps = memoryBatchDeps(tempoStore)
    const request = parseBatchRequest({ tenant: 'demo', traceIds: [...ids.slice(0, 6), 'ffffffff'] })
    const { manifest } = await runBatch(request, deps)
    expect(manifest.status).toBe('partial')
    expect(manifest.stats.blocksUnreadable).toBe(1)
    expect(manifest.counts).toMatchObject({ requested: 7, partial: 7, not_found: 0 })
    for (const line of await resultLines(deps.resultStore, manifest)) {
      expect(line.status).toBe('partial')
      expect(line.message).toContain(`block ${blocks[1]}`)
    }
    // Traces in the readable block still come back, marked partial.
    const found = (await resultLines(deps.resultStore, manifest)).filter((l) => l.trace !== undefined)
    expect(found.length).toBeGreaterThan(0)
  })

  it('a healthy tenant stays complete (the check does not cry wolf)', async () => {
    const deps = memoryBatchDeps(store)
    const { manifest } = await runBatch(parseBatchRequest({ tenant: 'demo', traceIds: [...ids.slice(0, 6), 'ffffffff'] }), deps)
    expect(manifest.status).toBe('complete')
    expect(manifest.stats.blocksUnreadable).toBe(0)
    expect(manifest.counts).toMatchObject({ found: 6, not_found: 1, partial: 0 })
  })
})
