import { describe, expect, it } from 'vitest'
import { finalizeTrace, querierFinalizeTrace } from '../../functions/core/combine/combiner.js'
import { dedupeSpanIds } from '../../functions/core/combine/span-id-dedupe.js'
import type { Span, Trace } from '../../functions/core/otlp/model.js'
import { resource, sid, span, trace } from './builders.js'

const INTERNAL = 1
const SERVER = 2
const CLIENT = 3

const hex = (b: Uint8Array | undefined): string => (b ? Buffer.from(b).toString('hex') : '-')
const id = (n: number): string => hex(sid(n))
function spansOf(t: Trace): Span[] {
  return t.resourceSpans!.flatMap((rs) => rs.scopeSpans!.flatMap((ss) => ss.spans ?? []))
}
const view = (t: Trace): string[] => spansOf(t).map((s) => `${s.name}:${hex(s.spanId)}<${hex(s.parentSpanId)}`)

describe('dedupeSpanIds (Zipkin shared client/server span IDs)', () => {
  it('renames the SERVER span to 1, parents it to the shared ID and re-parents its children', () => {
    const shared = 0xabcdef
    const t = trace(
      resource('front', ['s', [span(0x10, SERVER, 1, { name: 'root' }), span(shared, CLIENT, 2, { name: 'client', parentSpanId: sid(0x10) })]]),
      resource('back', ['s', [
        span(shared, SERVER, 3, { name: 'server', parentSpanId: sid(0x10) }),
        span(0x20, INTERNAL, 4, { name: 'child1', parentSpanId: sid(shared) }),
        span(0x21, INTERNAL, 5, { name: 'child2', parentSpanId: sid(shared) }),
      ]]),
    )
    expect(view(dedupeSpanIds(t))).toEqual([
      `root:${id(0x10)}<-`,
      `client:${id(shared)}<${id(0x10)}`,
      `server:${id(1)}<${id(shared)}`,
      `child1:${id(0x20)}<${id(1)}`,
      `child2:${id(0x21)}<${id(1)}`,
    ])
  })

  it('gives a parentless SERVER span an 8-byte parent and skips IDs already used', () => {
    const t = trace(resource('a', ['s', [
      span(1, INTERNAL, 1, { name: 'one' }),
      span(2, INTERNAL, 1, { name: 'two' }),
      span(7, CLIENT, 1, { name: 'c7' }),
      span(7, SERVER, 1, { name: 's7' }),
      span(8, CLIENT, 1, { name: 'c8' }),
      span(8, SERVER, 1, { name: 's8' }),
    ]]))
    const out = view(dedupeSpanIds(t))
    expect(out[3]).toBe(`s7:${id(3)}<${id(7)}`)
    expect(out[5]).toBe(`s8:${id(4)}<${id(8)}`)
  })

  it('leaves SERVER/SERVER, CLIENT/CLIENT and SERVER/INTERNAL sharing alone and returns the same trace', () => {
    const t = trace(resource('a', ['s', [span(5, SERVER, 1), span(5, SERVER, 2), span(6, CLIENT, 1), span(6, CLIENT, 2), span(9, SERVER, 1), span(9, INTERNAL, 1)]]))
    expect(dedupeSpanIds(t)).toBe(t)
  })

  it('follows Tempo when two SERVER spans share one CLIENT ID: both renamed, the last rename wins re-parenting', () => {
    const t = trace(resource('a', ['s', [
      span(5, CLIENT, 1, { name: 'c' }),
      span(5, SERVER, 2, { name: 's1' }),
      span(5, SERVER, 3, { name: 's2' }),
      span(6, INTERNAL, 4, { name: 'kid', parentSpanId: sid(5) }),
    ]]))
    expect(view(dedupeSpanIds(t))).toEqual([`c:${id(5)}<-`, `s1:${id(1)}<${id(2)}`, `s2:${id(2)}<${id(5)}`, `kid:${id(6)}<${id(2)}`])
  })

  it('does not modify its input and ignores span IDs shorter than 8 bytes', () => {
    const short: Span = { ...span(0, SERVER, 1), spanId: new Uint8Array([1, 2]) }
    const t = trace(resource('a', ['s', [span(5, CLIENT, 1), span(5, SERVER, 2), short, { ...short, kind: CLIENT }]]))
    const before = structuredClone(t)
    const out = dedupeSpanIds(t)
    expect(t).toEqual(before)
    expect(spansOf(out).map((s) => hex(s.spanId))).toEqual([id(5), id(1), '0102', '0102'])
  })
})

describe('finalizeTrace', () => {
  const t = trace(resource('a', ['s', [span(5, SERVER, 9, { name: 'late' }), span(5, CLIENT, 1, { name: 'early' })]]))

  it('sorts only with two or more contributors, then de-duplicates span IDs', () => {
    expect(view(finalizeTrace(t, 1))).toEqual([`late:${id(1)}<${id(5)}`, `early:${id(5)}<-`])
    expect(view(finalizeTrace(t, 2))).toEqual([`early:${id(5)}<-`, `late:${id(1)}<${id(5)}`])
  })

  it('as one querier answers (querierFinalizeTrace): sorted the same, shared span IDs left for the frontend', () => {
    expect(view(querierFinalizeTrace(t, 1))).toEqual([`late:${id(5)}<-`, `early:${id(5)}<-`])
    expect(view(querierFinalizeTrace(t, 2))).toEqual([`early:${id(5)}<-`, `late:${id(5)}<-`])
  })
})
