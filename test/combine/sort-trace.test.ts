import { describe, expect, it } from 'vitest'
import { compareGoStrings, goSortSlice, sortTrace } from '../../functions/core/combine/sort-trace.js'
import type { SpanEvent, SpanLink } from '../../functions/core/otlp/model.js'
import { resource, services, sid, span, spanIds, trace } from './builders.js'

const ev = (time: number, name: string): SpanEvent => ({ timeUnixNano: BigInt(time), name })
const link = (traceByte: number, spanId: number): SpanLink => ({ traceId: new Uint8Array(16).fill(traceByte), spanId: sid(spanId) })

describe('sortTrace (Tempo SortTrace)', () => {
  it('sorts spans by start time, then by span ID bytes', () => {
    const t = trace(resource('a', ['s', [span(5, 1, 20), span(0x0200000000000000n, 1, 10), span(0x0100000000000000n, 1, 10), span(1, 1, 5)]]))
    expect(spanIds(sortTrace(t)).map((id) => id.toString(16))).toEqual(['1', '100000000000000', '200000000000000', '5'])
  })

  it('sorts events by (time, name) with Go string order and links by (trace ID, span ID)', () => {
    const s = span(1, 1, 1, {
      events: [ev(2, 'b'), ev(1, 'z'), ev(2, 'a'), ev(3, '😀'), ev(3, '\uffff')],
      links: [link(2, 1), link(1, 9), link(1, 3)],
    })
    const sorted = sortTrace(trace(resource('a', ['s', [s]]))).resourceSpans![0]!.scopeSpans![0]!.spans![0]!
    // Go compares UTF-8 bytes: U+FFFF (ef bf bf) < U+1F600 (f0 9f 98 80), unlike JS's '<' on UTF-16
    expect(sorted.events!.map((e) => `${e.timeUnixNano}:${e.name}`)).toEqual(['1:z', '2:a', '2:b', '3:\uffff', '3:😀'])
    expect(sorted.links!.map((l) => `${l.traceId[0]}:${l.spanId[7]}`)).toEqual(['1:3', '1:9', '2:1'])
  })

  it('sorts scopes by their first span and resources by their first scope', () => {
    const t = trace(
      resource('late', ['s', [span(9, 1, 90)]]),
      resource('early', ['b', [span(4, 1, 40)]], ['a', [span(3, 1, 30), span(2, 1, 60)]]),
    )
    const sorted = sortTrace(t)
    expect(services(sorted)).toEqual(['early', 'late'])
    expect(sorted.resourceSpans![0]!.scopeSpans!.map((ss) => ss.scope.name)).toEqual(['a', 'b'])
    expect(spanIds(sorted)).toEqual([3, 2, 4, 9])
  })

  it('does not sort attributes and does not modify its input', () => {
    const attrs = [
      { key: 'z', value: { stringValue: '1' } },
      { key: 'a', value: { stringValue: '2' } },
    ]
    const t = trace(resource('a', ['s', [span(2, 1, 2, { attributes: attrs }), span(1, 1, 1)]]))
    const before = structuredClone(t)
    const sorted = sortTrace(t)
    expect(sorted.resourceSpans![0]!.scopeSpans![0]!.spans![1]!.attributes!.map((a) => a.key)).toEqual(['z', 'a'])
    expect(t).toEqual(before)
  })

  it('treats an empty scope as Go does: "not less" both ways, so insertion sort never moves past it', () => {
    const t = trace({
      resource: {},
      scopeSpans: [
        { scope: { name: 'three' }, spans: [span(3, 1, 3)] },
        { scope: { name: 'empty' } },
        { scope: { name: 'one' }, spans: [span(1, 1, 1)] },
      ],
    })
    expect(sortTrace(t).resourceSpans![0]!.scopeSpans!.map((ss) => ss.scope.name)).toEqual(['three', 'empty', 'one'])
  })
})

describe('goSortSlice', () => {
  const less = (a: [number, string], b: [number, string]): boolean => a[0] < b[0]

  it('is an insertion sort up to 12 elements (stable)', () => {
    const items: [number, string][] = [[2, 'a'], [1, 'b'], [2, 'c'], [1, 'd']]
    expect(goSortSlice(items, less).map((i) => i[1]).join('')).toBe('bdac')
  })

  it('sorts longer slices correctly and keeps ties in input order', () => {
    const items: [number, string][] = Array.from({ length: 40 }, (_, i) => [(i * 7) % 5, String(i)])
    const sorted = goSortSlice(items, less)
    for (let i = 1; i < sorted.length; i++) {
      expect(sorted[i - 1]![0]).toBeLessThanOrEqual(sorted[i]![0])
      if (sorted[i - 1]![0] === sorted[i]![0]) expect(Number(sorted[i - 1]![1])).toBeLessThan(Number(sorted[i]![1]))
    }
  })

  it('compares strings in code point order', () => {
    expect(compareGoStrings('a', 'b')).toBe(-1)
    expect(compareGoStrings('\uffff', '😀')).toBe(-1)
    expect(compareGoStrings('😀', '\ue000')).toBe(1)
    expect(compareGoStrings('ab', 'a')).toBe(1)
    expect(compareGoStrings('é', 'é')).toBe(0)
  })
})
