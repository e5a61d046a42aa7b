import { beforeEach, describe, it, expect } from 'vitest'
import { formatPartLine, parsePartLine, partLineView, type ParsedPartLine, type PartLine } from '../../functions/core/results/part-lines.js'
import { finalizeStage, finalizeTrace } from '../../functions/core/combine/finalize.js'
import { combineTraces } from '../../functions/core/combine/combiner.js'
import { traceToJson } from '../../functions/core/otlp/json.js'
import type { Trace } from '../../functions/core/otlp/model.js'
import { mergeParts, tooLargeMessage, type MergedTrace } from '../../functions/core/merge/merge-parts.js'
import { traceProtoSize } from '../../functions/core/otlp/protobuf.js'
import { fakeTrace, spanNames } from '../batch/fake-traces.js'

const A = 'a'.repeat(32)
const unparsable = (): Trace => {
  throw new Error('parsed')
}
const B = 'b'.repeat(32)
const C = 'c'.repeat(32)
const D = 'd'.repeat(32)

/** A part line as a reader writes it for its combined trace. */
function line(traceId: string, contributors: number, exceeded: boolean, trace: Trace): PartLine {
  return { traceId, contributors, exceeded, trace, finalized: finalizeStage(trace, contributors) }
}

/** Parts as the merge reads them: serialised and parsed back (stored parts), or handed over in memory. */
let handOver: (item: PartLine) => ParsedPartLine = (item) => parsePartLine(formatPartLine(item), 'part')

async function* lines(items: (PartLine | ParsedPartLine)[]): AsyncIterable<ParsedPartLine> {
  for (const item of items) yield 'finalized' in item && typeof item.finalized === 'function' ? (item as ParsedPartLine) : handOver(item as PartLine)
}

async function run(parts: (PartLine | ParsedPartLine)[][], options: { failures?: Record<string, string[]>; maxBytes?: number; requested?: string[]; needModel?: boolean } = {}) {
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

describe.each([
  ['stored', (item: PartLine) => parsePartLine(formatPartLine(item), 'part')],
  ['in memory', partLineView],
] as const)('mergeParts, parts %s', (_mode, exchange) => {
  beforeEach(() => {
    handOver = exchange
  })

  it('writes one result per requested ID in order, combining shards and sorting only with >= 2 contributors', async () => {
    const single = fakeTrace(A, [{ id: 2, start: 20 }, { id: 1, start: 10 }])
    const left = fakeTrace(B, [{ id: 5, start: 50 }, { id: 3, start: 30 }])
    const right = fakeTrace(B, [{ id: 4, start: 40 }, { id: 3, start: 30 }])
    const { out, counts } = await run([
      [
        line(A, 1, false, single),
        line(B, 1, false, left),
      ],
      [line(B, 1, false, right)],
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
    const { out } = await run([[line(A, 2, false, trace)]], { requested: [A] })
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
          line(C, 1, false, small),
          line(D, 1, false, big1),
        ],
        [line(D, 1, false, big2)],
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
    const { out } = await run([[line(A, 1, true, trace)]], { requested: [A], maxBytes: 5 })
    expect(out[0]!.status).toBe('too_large')
  })
  it('uses a lone shard\'s finalised JSON without parsing it when the caller needs no model', async () => {
    const shared = fakeTrace(B, [{ id: 1, start: 1 }])
    const parts: (PartLine | ParsedPartLine)[][] = [
      // Not a trace at all: parsing it would throw.
      [{ traceId: A, contributors: 1, exceeded: false, json: () => '{"marker":1}', finalized: unparsable, trace: unparsable }, line(B, 1, false, shared)],
      [line(B, 1, false, fakeTrace(B, [{ id: 2, start: 0 }]))],
    ]
    const fast = await run(parts, { requested: [A, B], needModel: false })
    expect(fast.out[0]).toEqual({ traceId: A, status: 'found', traceJson: '{"marker":1}' })
    // Two shards: combined here from both readers' JSON read back, then finalised (sorted: 2 contributors).
    expect(fast.out[1]!.traceJson).toBeUndefined()
    expect(spanNames(fast.out[1]!.trace)).toEqual(['span-2', 'span-1'])
    const slow = await run([[line(A, 1, false, fakeTrace(A, [{ id: 3, start: 3 }]))]], { requested: [A] })
    expect(slow.out[0]!.traceJson).toBeUndefined()
    expect(spanNames(slow.out[0]!.trace)).toEqual(['span-3'])
  })

  it('combines from the unfinalised trace when a reader\'s finalising renamed span IDs', async () => {
    // Zipkin: a CLIENT and a SERVER span share ID 7; finalising renames the SERVER one. Another shard holds
    // the same SERVER span (same ID and kind): Tempo de-duplicates it by its original ID.
    const first = fakeTrace(A, [{ id: 7, start: 1, kind: 3 }, { id: 7, start: 2, kind: 2 }])
    const second = fakeTrace(A, [{ id: 7, start: 2, kind: 2 }, { id: 8, start: 3 }])
    const expected = finalizeTrace(combineTraces([first, second], 0).trace!, 2)
    const written = line(A, 1, false, first)
    expect(written.finalized.recombinable).toBe(false)
    const { out } = await run([[written], [line(A, 1, false, second)]], { requested: [A] })
    expect(traceToJson(out[0]!.trace!)).toBe(traceToJson(expected))
    // Without the unfinalised trace the renamed SERVER span would not match its duplicate and stay twice.
    const jsonOnly = { ...written, trace: written.finalized.trace, finalized: { ...written.finalized, recombinable: true } }
    const wrong = await run([[jsonOnly], [line(A, 1, false, second)]], { requested: [A] })
    expect(spanNames(wrong.out[0]!.trace)).toHaveLength(4)
    expect(spanNames(out[0]!.trace)).toHaveLength(3)
  })
})
