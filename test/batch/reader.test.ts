import { describe, it, expect } from 'vitest'
import { runReaderJob, type OpenBlockSearch } from '../../functions/core/batch/reader.js'
import { storedParts } from '../../functions/core/results/part-exchange.js'
import { metaToJobBlock } from '../../functions/core/contract/job-block.js'
import type { ReaderJob } from '../../functions/core/contract/types.js'
import type { BlockMeta } from '../../functions/core/blocks/block-meta.js'
import { BlockError, DeadlineExceededError } from '../../functions/core/contract/errors.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import type { Trace } from '../../functions/core/otlp/model.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { traceIdToHex } from '../../functions/core/contract/trace-id.js'
import { fakeTrace, spanNames } from './fake-traces.js'

const id = (n: number) => n.toString(16).padStart(32, '0')

function meta(n: number): BlockMeta {
  return {
    format: 'vParquet4', blockId: `00000000-0000-0000-0000-00000000000${n}`, tenantId: 't', startTimeUnixNano: 0n, endTimeUnixNano: 1n,
    totalObjects: 1, size: 1, compactionLevel: 0, totalRecords: 1, bloomShards: 1, footerSize: 1, dedicatedColumns: [], replicationFactor: 1,
  }
}

/** A fake block search: block n holds the given traces; block 3 fails after ruling out ID 9. Records opens and finds. */
function fakeOpen(contents: Record<string, Record<string, Trace>>, calls: { block: string; ids: string[] }[], opens: { block: string; ids: string[] }[] = []): OpenBlockSearch {
  return async (_store, tenant, m, opened) => {
    opens.push({ block: m.blockId, ids: opened.map(traceIdToHex) })
    return {
      async find(ids) {
        const hex = ids.map(traceIdToHex)
        calls.push({ block: m.blockId, ids: hex })
        const stats = { requests: 2, bytesRead: 100, pagesDecoded: 1, rowsDecoded: 1, bloomRejects: 0, phaseMs: { bloom: 1, footer: 0, locate: 0, read: 0, convert: 0 } }
        if (m.blockId.endsWith('3')) {
          return { blockId: m.blockId, found: new Map(), notFound: hex.filter((h) => h === id(9)), error: new BlockError(tenant, m.blockId, 'truncated'), stats }
        }
        const found = new Map<string, Trace>()
        for (const h of hex) if (contents[m.blockId]?.[h]) found.set(h, contents[m.blockId]![h]!)
        return { blockId: m.blockId, found, notFound: hex.filter((h) => !found.has(h)), stats }
      },
    }
  }
}

describe('runReaderJob', () => {
  it('combines each ID over its blocks in block order, writes a sorted part, and reports failures as data', async () => {
    const resultStore = new MemoryStore()
    const blocks = [meta(1), meta(2), meta(3)]
    const contents = {
      [blocks[0]!.blockId]: { [id(5)]: fakeTrace(id(5), [{ id: 2, start: 2 }]), [id(7)]: fakeTrace(id(7), [{ id: 1, start: 1 }]) },
      [blocks[1]!.blockId]: { [id(5)]: fakeTrace(id(5), [{ id: 1, start: 1 }, { id: 2, start: 2 }]) },
    }
    const calls: { block: string; ids: string[] }[] = []
    const opens: { block: string; ids: string[] }[] = []
    const job: ReaderJob = {
      requestId: 'r', tenant: 't', shard: 4, blockIdMin: blocks[0]!.blockId, blockIdMax: blocks[2]!.blockId,
      blocks: blocks.map(metaToJobBlock), traceIds: [id(5), id(7), id(8), id(9)],
      blocksByTraceId: { [id(8)]: [blocks[1]!.blockId] }, maxBytesPerTrace: 0, partKey: 'r/parts/4',
    }
    const summary = await runReaderJob(job, { tempoStore: new MemoryStore(), layout: new TempoLayout(), resultStore, idsPerChunk: 3, openBlock: fakeOpen(contents, calls, opens) })
    expect(summary).toMatchObject({ shard: 4, partKey: 'r/parts/4', tracesFound: 2 })
    expect(summary.failedBlocks).toEqual([{ blockId: blocks[2]!.blockId, error: `block t/${blocks[2]!.blockId}: truncated`, traceIds: [id(5), id(7)] }])
    expect(summary.stats).toMatchObject({ blocksSearched: 3, requests: 12, bytesRead: 600, spans: 3 })
    // Each block is opened once for every ID it may hold; then read in chunks of 3 IDs; ID 8 only in block 2.
    expect(opens).toEqual([
      { block: blocks[0]!.blockId, ids: [id(5), id(7), id(9)] },
      { block: blocks[1]!.blockId, ids: [id(5), id(7), id(8), id(9)] },
      { block: blocks[2]!.blockId, ids: [id(5), id(7), id(9)] },
    ])
    expect(calls.filter((c) => c.block === blocks[0]!.blockId).map((c) => c.ids)).toEqual([[id(5), id(7)], [id(9)]])
    expect(calls.filter((c) => c.block === blocks[1]!.blockId).map((c) => c.ids)).toEqual([[id(5), id(7), id(8)], [id(9)]])
    const part = []
    for await (const line of storedParts(resultStore).read('r/parts/4')) part.push(line)
    // Each line holds the trace once, finalised as if no other shard had it (sorted: 2 contributors).
    expect(part.map((l) => [l.traceId, l.contributors, l.exceeded, spanNames(l.finalized())])).toEqual([
      [id(5), 2, false, ['span-1', 'span-2']],
      [id(7), 1, false, ['span-1']],
    ])
    expect(JSON.parse(part[0]!.json()).resourceSpans).toHaveLength(2)
  })

  it('gzips its part only when the part key ends in .gz', async () => {
    const blocks = [meta(1)]
    const contents = { [blocks[0]!.blockId]: { [id(5)]: fakeTrace(id(5), [{ id: 1, start: 1 }]) } }
    const resultStore = new MemoryStore()
    for (const partKey of ['plain/part.ndjson', 'packed/part.ndjson.gz']) {
      const job: ReaderJob = {
        requestId: 'r', tenant: 't', shard: 0, blockIdMin: blocks[0]!.blockId, blockIdMax: blocks[0]!.blockId,
        blocks: blocks.map(metaToJobBlock), traceIds: [id(5)], maxBytesPerTrace: 0, partKey,
      }
      await runReaderJob(job, { tempoStore: new MemoryStore(), layout: new TempoLayout(), resultStore, openBlock: fakeOpen(contents, []) })
    }
    expect(Buffer.from(await resultStore.get('plain/part.ndjson')).toString('utf8')).toMatch(/^\{"traceId":"0+5","contributors":1,"trace":\{"resourceSpans":/)
    expect([...(await resultStore.get('packed/part.ndjson.gz')).subarray(0, 2)]).toEqual([0x1f, 0x8b])
    for (const key of ['plain/part.ndjson', 'packed/part.ndjson.gz']) {
      const lines = []
      for await (const line of storedParts(resultStore).read(key)) lines.push(spanNames(line.trace()))
      expect(lines).toEqual([['span-1']])
    }
  })

  it('loads offloaded ID lists', async () => {
    const resultStore = new MemoryStore()
    await resultStore.put('ids.json', Buffer.from(JSON.stringify({ traceIds: [id(1)] })))
    const calls: { block: string; ids: string[] }[] = []
    const job: ReaderJob = {
      requestId: 'r', tenant: 't', shard: 0, blockIdMin: meta(1).blockId, blockIdMax: meta(1).blockId, blocks: [metaToJobBlock(meta(1))],
      traceIds: [], idsKey: 'ids.json', maxBytesPerTrace: 0, partKey: 'p',
    }
    const summary = await runReaderJob(job, { tempoStore: new MemoryStore(), layout: new TempoLayout(), resultStore, openBlock: fakeOpen({}, calls) })
    expect(calls).toEqual([{ block: meta(1).blockId, ids: [id(1)] }])
    expect(summary.tracesFound).toBe(0)
  })

  it('stops at the job\'s deadline (its coordinator has given up): no waiting on blocks, no part written', { timeout: 10_000 }, async () => {
    const resultStore = new MemoryStore()
    const aborted: string[] = []
    // A block whose reads never end unless the reader gives up on them.
    const hangingOpen: OpenBlockSearch = async (_store, _tenant, m, _ids, options) =>
      new Promise((_, reject) => options.signal?.addEventListener('abort', () => {
        aborted.push(m.blockId)
        reject(options.signal?.reason)
      }))
    const job: ReaderJob = {
      requestId: 'r', tenant: 't', shard: 2, blockIdMin: meta(1).blockId, blockIdMax: meta(2).blockId, blocks: [metaToJobBlock(meta(1)), metaToJobBlock(meta(2))],
      traceIds: [id(1), id(2)], maxBytesPerTrace: 0, partKey: 'r/parts/2', deadline: Date.now() + 50,
    }
    const error = await runReaderJob(job, { tempoStore: new MemoryStore(), layout: new TempoLayout(), resultStore, openBlock: hangingOpen }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeadlineExceededError)
    expect((error as Error).message).toMatch(/^reader: shard 2 of request r: deadline .* passed$/)
    expect(aborted.sort()).toEqual([meta(1).blockId, meta(2).blockId])
    expect(resultStore.keys()).toEqual([])
  })
})
