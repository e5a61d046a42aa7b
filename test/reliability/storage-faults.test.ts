import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { createS3Client, S3Store } from '../../functions/adapters/s3-store.js'
import { runBatch } from '../../functions/core/batch/coordinator.js'
import { parseBatchRequest } from '../../functions/core/contract/request.js'
import type { ResultLine } from '../../functions/core/contract/types.js'
import type { ObjectStore } from '../../functions/core/storage/object-store.js'
import { startFaultyProxy, type Fault, type FaultyProxy } from '../adapters/faulty-proxy.js'
import { memoryBatchDeps, resultLines } from '../support/memory-batch.js'
import { startFauxqs, type FauxqsHandle } from '../support/fauxqs.js'
import { writeSmallTenant } from '../support/small-tenant.js'
import { FaultyStore, type PortFault, type PortCall } from './support/faulty-store.js'

/**
 * Issue 11, storage faults: the real adapters (S3 against fauxqs behind a fault-injecting proxy, so the
 * adapter's own retries act; the filesystem behind a fault-injecting store) under throttling, 5xx, cut and
 * short bodies, slow answers, objects that vanish and persistent failures. Transient faults are retried
 * (full-jitter backoff) and change nothing; persistent ones leave exactly the IDs the failing block may hold
 * `partial` with the reason. Every batch finishes, and no answer differs from the clean one otherwise.
 */

let work: string
let ids: string[] = []
let blocks: string[] = []
let reference: Map<string, ResultLine>
let fauxqs: FauxqsHandle
let proxy: FaultyProxy
const outcomes: string[] = []

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tempo-batch-faults-'))
  const summary = await writeSmallTenant(new FsStore(join(work, 'tempo')), 'demo', 141, { blocks: 3 })
  ids = [...summary.traceIds.filter((_, i) => i % 3 === 0), 'ffffffffffffffffffffffffffffff01']
  blocks = summary.blocks.map((b) => b.blockId)
  reference = await run(new FsStore(join(work, 'tempo'))).then((r) => r.lines)
  fauxqs = await startFauxqs()
  await fauxqs.createBucket('tempo')
  await fauxqs.uploadDirectory(join(work, 'tempo'), 'tempo', '')
  proxy = await startFaultyProxy(fauxqs.endpoint)
})
afterAll(async () => {
  console.log(`[reliability] storage faults:\n${outcomes.join('\n')}`)
  await proxy?.stop()
  await fauxqs?.stop()
  await rm(work, { recursive: true, force: true })
})

async function run(tempoStore: ObjectStore): Promise<{ lines: Map<string, ResultLine>; status: string }> {
  const deps = memoryBatchDeps(tempoStore)
  const { manifest } = await runBatch(parseBatchRequest({ tenant: 'demo', traceIds: ids }), deps)
  return { lines: new Map((await resultLines(deps.resultStore, manifest)).map((l) => [l.traceId, l])), status: manifest.status }
}

/** S3 through the proxy, with quick retries (5 attempts, 5-40 ms full jitter). */
function s3Store(): S3Store {
  const client = createS3Client({ endpoint: proxy.endpoint, region: fauxqs.region, credentials: fauxqs.credentials })
  return new S3Store(client, 'tempo', '', { retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 40 } })
}

/** Every line equals the clean run's, or (only when `block` failed for good) is `partial` naming it and `reason`. */
function expectAnswer(lines: Map<string, ResultLine>, failed?: { block: string; reason: RegExp }): number {
  let partial = 0
  expect([...lines.keys()]).toEqual([...reference.keys()])
  for (const [id, line] of lines) {
    if (failed && line.status === 'partial') {
      expect(line.message).toContain(failed.block)
      expect(line.message, line.message).toMatch(failed.reason)
      // A trace it still returns is the clean one minus what the failed block held, never another's.
      if (line.trace !== undefined) expect(reference.get(id)!.status).toBe('found')
      partial++
    } else expect(line, id).toEqual(reference.get(id))
  }
  return partial
}

/** Fault every `n`th request the proxy sees (of those `only` matches) with `fault`. */
function everyNth(n: number, fault: Fault, only: (method: string, url: string) => boolean = () => true) {
  let seen = 0
  return (method: string, url: string): Fault | undefined => (only(method, url) && ++seen % n === 0 ? fault : undefined)
}

const rangedGet = (method: string) => method === 'GET'
const ofObject = (block: string, name: string) => (_method: string, url: string) => url.includes(`${block}/${name}`)

describe('storage faults through the real S3 adapter (fauxqs behind a faulty proxy)', () => {
  it.each<[string, (method: string, url: string) => Fault | undefined]>([
    ['503 SlowDown on every 3rd request', everyNth(3, 'slow-down')],
    ['500 InternalError on every 4th request', everyNth(4, 'internal-error')],
    ['a body cut off mid-stream on every 3rd GET', everyNth(3, 'cut-body', rangedGet)],
    ['a short ranged answer on every 3rd GET', everyNth(3, 'short-range', rangedGet)],
  ])('transient: %s is retried; the answer is the clean one', async (name, faultWhen) => {
    proxy.faultWhen = faultWhen
    const before = proxy.seen.length
    const store = s3Store()
    const answer = await run(store)
    proxy.faultWhen = undefined
    const faulted = proxy.seen.slice(before).filter((s) => s.fault !== 'pass').length
    expect(faulted).toBeGreaterThan(0)
    expect(answer.status).toBe('complete')
    expectAnswer(answer.lines)
    outcomes.push(`- S3, ${name}: ${faulted} faulted of ${proxy.seen.length - before} requests, ${store.retries} retries; complete, identical to the clean answer`)
  })

  it.each<[string, Fault, string, RegExp]>([
    ['data.parquet of one block always 503 (retries run out)', 'slow-down', 'data.parquet', /SlowDown/],
    ['data.parquet of one block deleted after planning (404)', 'not-found', 'data.parquet', /vanished after the batch was planned/],
    ['data.parquet of one block forbidden (403)', 'access-denied', 'data.parquet', /AccessDenied/],
  ])('persistent: %s: its IDs are partial with the reason, the rest is the clean answer', async (name, fault, object, reason) => {
    proxy.faultWhen = (method, url) => (ofObject(blocks[1]!, object)(method, url) ? fault : undefined)
    const answer = await run(s3Store())
    proxy.faultWhen = undefined
    expect(answer.status).toBe('partial')
    const partial = expectAnswer(answer.lines, { block: blocks[1]!, reason })
    expect(partial).toBeGreaterThan(0)
    outcomes.push(`- S3, ${name}: finished; ${partial} of ${ids.length} IDs partial naming the block, the rest identical`)
  })

  it('a meta.json that fails for good makes every ID partial (the block cannot be described)', async () => {
    proxy.faultWhen = (method, url) => (ofObject(blocks[0]!, 'meta.json')(method, url) ? 'access-denied' : undefined)
    const answer = await run(s3Store())
    proxy.faultWhen = undefined
    expect(answer.status).toBe('partial')
    expect(expectAnswer(answer.lines, { block: blocks[0]!, reason: /AccessDenied/ })).toBe(ids.length)
    outcomes.push(`- S3, meta.json of one block forbidden (403): finished; all ${ids.length} IDs partial naming the block`)
  })
})

describe('storage faults at the port, around the filesystem adapter', () => {
  const block = (call: PortCall, i: number, name: string) => call.key.includes(`${blocks[i]}/${name}`)

  it.each<[string, (call: PortCall) => PortFault | undefined, { partialOf?: number; reason?: RegExp }]>([
    ['slow answers (20 ms) on every read', () => 'slow', {}],
    ['EIO on every read of one block\'s data.parquet', (c) => (block(c, 2, 'data.parquet') ? 'error' : undefined), { partialOf: 2, reason: /EIO/ }],
    ['short reads (half the bytes) of one block\'s data.parquet', (c) => (block(c, 2, 'data.parquet') && c.range !== undefined ? 'short' : undefined), { partialOf: 2, reason: /./ }],
    ['short reads of one block\'s bloom filter', (c) => (block(c, 1, 'bloom-0') ? 'short' : undefined), { partialOf: 1, reason: /./ }],
    ['one block\'s data.parquet deleted after planning', (c) => (block(c, 0, 'data.parquet') ? 'not-found' : undefined), { partialOf: 0, reason: /vanished after the batch was planned/ }],
    ['one block\'s meta.json deleted between listing and reading (nor compacted)', (c) => (block(c, 1, 'meta') && c.kind === 'get' ? 'not-found' : undefined), { partialOf: 1, reason: /disappeared after listing/ }],
  ])('%s: the batch finishes, failed blocks\' IDs partial, never a wrong answer', async (name, rule, expected) => {
    const store = new FaultyStore(new FsStore(join(work, 'tempo')), rule)
    const answer = await run(store)
    expect([...store.injected.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
    if (expected.partialOf === undefined) {
      expect(answer.status).toBe('complete')
      expectAnswer(answer.lines)
      outcomes.push(`- filesystem, ${name}: complete, identical to the clean answer`)
      return
    }
    expect(answer.status).toBe('partial')
    const partial = expectAnswer(answer.lines, { block: blocks[expected.partialOf]!, reason: expected.reason! })
    expect(partial).toBeGreaterThan(0)
    outcomes.push(`- filesystem, ${name}: finished; ${partial} of ${ids.length} IDs partial naming the block, the rest identical`)
  })
})
