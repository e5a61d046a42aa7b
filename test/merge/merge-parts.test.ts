import { describe, it, expect } from 'vitest'
import type { ParsedPartLine, PartLine } from '../../functions/core/results/part-lines.js'
import { mergeParts, tooLargeMessage, type MergedTrace } from '../../functions/core/merge/merge-parts.js'
import { traceProtoSize } from '../../functions/core/otlp/protobuf.js'
import { fakeTrace, spanNames } from '../batch/fake-traces.js'

const A = 'a'.repeat(32)
const B = 'b'.repeat(32)
const C = 'c'.repeat(32)
const D = 'd'.repeat(32)

async function* lines(items: PartLine[]): AsyncIterable<ParsedPartLine> {
  for (const item of items) yield { ...item, trace: () => item.trace }
}

async function run(parts: PartLine[][], options: { failures?: Record<string, string[]>; maxBytes?: number; requested?: string[]; needModel?: boolean } = {}) {
  const out: MergedTrace[] = []
  const counts = await mergeParts({
    requested: options.requested ?? [A, B, C, D],
    parts: parts.map(lines),
    failuresFor: (id) => options.failures?.[id] ?? [],
    maxBytesPerTrace: options.maxBytes ?? 0,
    needModel: options.needModel,
    onResult: async (r) => {
      out.push(r)
    },
  })
  return { out, counts }
}

describe('mergeParts', () => {
  it('writes one result per requested ID in order, combining shards and sorting only with >= 2 contributors', async () => {
    const single = fakeTrace(A, [{ id: 2, start: 20 }, { id: 1, start: 10 }])
    const left = fakeTrace(B, [{ id: 5, start: 50 }, { id: 3, start: 30 }])
    const right = fakeTrace(B, [{ id: 4, start: 40 }, { id: 3, start: 30 }])
    const { out, counts } = await run([
      [
        { traceId: A, contributors: 1, exceeded: false, trace: single },
        { traceId: B, contributors: 1, exceeded: false, trace: left },
      ],
      [{ traceId: B, contributors: 1, exceeded: false, trace: right }],
    ])
    expect(out.map((r) => [r.traceId, r.status])).toEqual([
      [A, 'found'],
      [B, 'found'],
      [C, 'not_found'],
      [D, 'not_found'],
    ])
    // One block: stored order. Two blocks: span 3 de-duplicated (same ID and kind), the second block's
    // rest appended as its own resource, spans sorted within scopes, resources by their first span.
    expect(spanNames(out[0]!.trace)).toEqual(['span-2', 'span-1'])
    expect(spanNames(out[1]!.trace)).toEqual(['span-3', 'span-5', 'span-4'])
    expect(out[1]!.trace!.resourceSpans).toHaveLength(2)
    expect(out[2]!.trace).toBeUndefined()
    expect(counts).toEqual({ found: 2, not_found: 2, partial: 0, too_large: 0 })
  })

  it('sorts when one shard already combined two blocks', async () => {
    const trace = fakeTrace(A, [{ id: 9, start: 90 }, { id: 1, start: 10 }])
    const { out } = await run([[{ traceId: A, contributors: 2, exceeded: false, trace }]], { requested: [A] })
    expect(spanNames(out[0]!.trace)).toEqual(['span-1', 'span-9'])
  })

  it('marks IDs with failures partial (trace kept) and over-limit traces too_large with Tempo\'s message', async () => {
    const small = fakeTrace(C, [{ id: 1, start: 1 }])
    const big1 = fakeTrace(D, [{ id: 1, start: 1 }, { id: 2, start: 2 }])
    const big2 = fakeTrace(D, [{ id: 3, start: 3 }, { id: 4, start: 4 }])
    const limit = traceProtoSize(big1) + 10
    const { out, counts } = await run(
      [
        [
          { traceId: C, contributors: 1, exceeded: false, trace: small },
          { traceId: D, contributors: 1, exceeded: false, trace: big1 },
        ],
        [{ traceId: D, contributors: 1, exceeded: false, trace: big2 }],
      ],
      { failures: { [A]: ['shard 3 failed: boom'], [C]: ['block x: corrupt'] }, maxBytes: limit },
    )
    expect(out.map((r) => [r.status, r.message])).toEqual([
      ['partial', 'incomplete: shard 3 failed: boom'],
      ['not_found', undefined],
      ['partial', 'incomplete: block x: corrupt'],
      ['too_large', tooLargeMessage(limit)],
    ])
    expect(spanNames(out[2]!.trace)).toEqual(['span-1'])
    // Tempo checks the size after appending: both halves are in the partial trace.
    expect(spanNames(out[3]!.trace)).toHaveLength(4)
    expect(counts).toEqual({ found: 0, not_found: 1, partial: 2, too_large: 1 })
  })

  it('keeps a reader\'s exceeded flag', async () => {
    const trace = fakeTrace(A, [{ id: 1, start: 1 }])
    const { out } = await run([[{ traceId: A, contributors: 1, exceeded: true, trace }]], { requested: [A], maxBytes: 5 })
    expect(out[0]!.status).toBe('too_large')
  })
  it('uses a lone shard\'s finalised JSON without decoding when the caller needs no model', async () => {
    const trace = fakeTrace(A, [{ id: 1, start: 1 }])
    const shared = fakeTrace(B, [{ id: 1, start: 1 }])
    const parts: PartLine[][] = [
      [
        { traceId: A, contributors: 1, exceeded: false, trace, json: '{"marker":1}' },
        { traceId: B, contributors: 1, exceeded: false, trace: shared, json: '{"marker":2}' },
      ],
      [{ traceId: B, contributors: 1, exceeded: false, trace: shared, json: '{"marker":3}' }],
    ]
    const fast = await run(parts, { requested: [A, B], needModel: false })
    expect(fast.out[0]).toEqual({ traceId: A, status: 'found', traceJson: '{"marker":1}' })
    // Two shards: combined here from the protobuf, never from either reader's JSON.
    expect(fast.out[1]!.traceJson).toBeUndefined()
    expect(spanNames(fast.out[1]!.trace)).toEqual(['span-1'])
    const slow = await run(parts, { requested: [A, B] })
    expect(slow.out[0]!.traceJson).toBeUndefined()
    expect(spanNames(slow.out[0]!.trace)).toEqual(['span-1'])
  })
})
