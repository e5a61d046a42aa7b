import { describe, expect, it } from 'vitest'
import { combineTraces, finalizeTrace, partialTraceMessage, TraceCombiner } from '../../functions/core/combine/combiner.js'
import { spanToken } from '../../functions/core/combine/span-token.js'
import type { Trace } from '../../functions/core/otlp/model.js'
import { traceProtoSize } from '../../functions/core/otlp/protobuf.js'
import { prng, resource, services, span, spanIds, trace } from './builders.js'

const SERVER = 2
const CLIENT = 3
const INTERNAL = 1

function combineAll(partials: (Trace | undefined)[], maxBytes = 0): TraceCombiner {
  const combiner = new TraceCombiner(maxBytes)
  for (const p of partials) combiner.consume(p)
  return combiner
}

describe('span token', () => {
  it('is FNV-1 64 over span ID bytes then uint32 little-endian kind', () => {
    // independent BigInt FNV-1 64 over 0102030405060708 ‖ 02000000
    let h = 0xcbf29ce484222325n
    for (const b of [1, 2, 3, 4, 5, 6, 7, 8, 2, 0, 0, 0]) h = (BigInt.asUintN(64, h * 0x100000001b3n) ^ BigInt(b))
    const s = span(0x0102030405060708n, SERVER, 1)
    expect(spanToken(s)).toBe(h)
    expect(spanToken({ ...s, kind: CLIENT })).not.toBe(h)
  })
})

describe('TraceCombiner: Tempo rules', () => {
  it('keeps the first occurrence of a (span ID, kind): first trace wins', () => {
    const a = trace(resource('a', ['s', [span(1, SERVER, 10, { name: 'first' })]]))
    const b = trace(resource('b', ['s', [span(1, SERVER, 10, { name: 'second' })]]))
    const result = combineAll([a, b]).result()!
    expect(spanIds(result)).toEqual([1])
    expect(result.resourceSpans![0]!.scopeSpans![0]!.spans![0]!.name).toBe('first')
    expect(services(result)).toEqual(['a'])
  })

  it('de-duplicates by span ID AND kind, not by span ID alone', () => {
    const a = trace(resource('a', ['s', [span(1, CLIENT, 10)]]))
    const b = trace(resource('b', ['s', [span(1, SERVER, 11), span(1, CLIENT, 10)]]))
    const result = combineAll([a, b]).result({ sort: false })!
    expect(spanIds(result)).toEqual([1, 1])
    expect(result.resourceSpans![1]!.scopeSpans![0]!.spans![0]!.kind).toBe(SERVER)
  })

  it('keeps duplicates that are inside the first trace, drops them inside later traces', () => {
    const a = trace(resource('a', ['s', [span(1, SERVER, 10), span(1, SERVER, 10)]]))
    const b = trace(resource('b', ['s', [span(2, SERVER, 20), span(2, SERVER, 20), span(1, SERVER, 10)]]))
    expect(spanIds(combineAll([a, b]).result({ sort: false }))).toEqual([1, 1, 2])
  })

  it('drops emptied scopes and resources and never merges resources', () => {
    const a = trace(resource('a', ['s1', [span(1, SERVER, 10)]]))
    const b = trace(
      resource('gone', ['x', [span(1, SERVER, 10)]]),
      resource('a', ['s1', [span(1, SERVER, 10)]], ['s2', [span(2, INTERNAL, 11)]]),
    )
    const result = combineAll([a, b]).result({ sort: false })!
    expect(services(result)).toEqual(['a', 'a'])
    expect(result.resourceSpans![1]!.scopeSpans!.map((ss) => ss.scope.name)).toEqual(['s2'])
    expect(spanIds(result)).toEqual([1, 2])
  })

  it('keeps empty scopes of the first trace (vParquet3 stores them) but drops them from later ones', () => {
    const a = trace({ resource: {}, scopeSpans: [{ scope: { name: 'empty' } }, { scope: { name: 's' }, spans: [span(1, SERVER, 1)] }] })
    const b = trace({ resource: {}, scopeSpans: [{ scope: { name: 'empty2' } }, { scope: { name: 's' }, spans: [span(2, SERVER, 2)] }] })
    const result = combineAll([a, b]).result({ sort: false })!
    expect(result.resourceSpans!.map((rs) => rs.scopeSpans!.map((ss) => ss.scope.name))).toEqual([['empty', 's'], ['s']])
  })

  it('counts only non-empty partial traces and sorts only when two or more contributed', () => {
    const unsorted = trace(resource('a', ['s', [span(2, SERVER, 20), span(1, SERVER, 10)]]))
    const single = combineAll([undefined, unsorted, { resourceSpans: [] }, {}])
    expect(single.contributors).toBe(1)
    expect(spanIds(single.result())).toEqual([2, 1])

    // a second contributor that adds nothing still makes Tempo sort (its `combined` flag)
    const duplicate = trace(resource('b', ['s', [span(1, SERVER, 10)]]))
    const two = combineAll([unsorted, duplicate])
    expect(two.contributors).toBe(2)
    expect(spanIds(two.result())).toEqual([1, 2])
    expect(spanIds(two.result({ sort: false }))).toEqual([2, 1])
  })

  it('carries contributors through a second stage', () => {
    const reader = new TraceCombiner(0)
    reader.consume(trace(resource('a', ['s', [span(2, SERVER, 20)]])))
    reader.consume(trace(resource('b', ['s', [span(1, SERVER, 10)]])))
    const coordinator = new TraceCombiner(0)
    coordinator.consume(reader.result({ sort: false }), reader.contributors)
    expect(coordinator.contributors).toBe(2)
    expect(spanIds(coordinator.result())).toEqual([1, 2])
  })

  it('does not modify its inputs', () => {
    const a = trace(resource('a', ['s', [span(2, SERVER, 20), span(1, SERVER, 10)]]))
    const b = trace(resource('b', ['s', [span(1, SERVER, 10), span(3, SERVER, 5)]]))
    const before = structuredClone([a, b])
    const combiner = combineAll([a, b])
    finalizeTrace(combiner.result()!, combiner.contributors)
    expect([a, b]).toEqual(before)
  })
})

describe('TraceCombiner: size limit (max_bytes_per_trace, v2 semantics)', () => {
  const half = (id: number, service: string): Trace =>
    trace(resource(service, ['s', [span(id, SERVER, id, { name: 'x'.repeat(200) })]]))
  const a = half(1, 'a')
  const b = half(2, 'b')
  const c = half(3, 'c')

  it('tracks the exact protobuf size of the result, with and without a limit', () => {
    for (const limit of [0, 1_000_000]) {
      const combiner = new TraceCombiner(limit)
      combiner.consume(a)
      expect(combiner.size).toBe(traceProtoSize(a))
      combiner.consume(b)
      combiner.consume(trace(resource('dup', ['s', [span(1, SERVER, 1)]]), resource('d', ['s', [span(4, SERVER, 4)]])))
      expect(combiner.size).toBe(traceProtoSize(combiner.result({ sort: false })!))
      combiner.consume(c)
      expect(combiner.size).toBe(traceProtoSize(combiner.result({ sort: false })!))
      expect(combiner.exceeded).toBe(false)
    }
  })

  it('checks after appending: the consume that crosses the limit is kept, later ones are refused', () => {
    const limit = traceProtoSize(a) + 10 // a fits, a+b does not
    const combiner = new TraceCombiner(limit)
    expect(combiner.consume(a)).toBe(true)
    expect(combiner.exceeded).toBe(false)
    expect(combiner.consume(b)).toBe(true)
    expect(combiner.exceeded).toBe(true)
    expect(combiner.consume(c)).toBe(false)
    expect(spanIds(combiner.result())).toEqual([1, 2])
    expect(combiner.contributors).toBe(2)
    expect(combiner.size).toBeGreaterThan(limit)
  })

  it('flags a first trace that alone is over the limit and takes nothing more', () => {
    const combiner = new TraceCombiner(traceProtoSize(a) - 1)
    combiner.consume(a)
    expect(combiner.exceeded).toBe(true)
    expect(combiner.consume(b)).toBe(false)
    expect(spanIds(combiner.result())).toEqual([1])
  })

  it('is not exceeded at exactly the limit, and 0 means unlimited', () => {
    const exact = new TraceCombiner(traceProtoSize(a))
    exact.consume(a)
    expect(exact.exceeded).toBe(false)
    expect(combineAll([a, b, c], 0).exceeded).toBe(false)
  })

  it('honours an upstream exceeded flag', () => {
    const combiner = new TraceCombiner(1_000_000)
    combiner.consume(a, 1, true)
    expect(combiner.exceeded).toBe(true)
    expect(combiner.consume(b)).toBe(false)
  })

  it('combineTraces reports partial and contributors', () => {
    expect(combineTraces([a, b, c], traceProtoSize(a) + 10)).toMatchObject({ partial: true, contributors: 2 })
    const full = combineTraces([c, undefined, a], 0)
    expect(full.partial).toBe(false)
    expect(spanIds(full.trace)).toEqual([1, 3])
    expect(combineTraces([undefined], 0)).toEqual({ partial: false, contributors: 0 })
    expect(partialTraceMessage(100000)).toBe('Trace exceeds maximum size of 100000 bytes, a partial trace is returned')
  })
})

/** Random partial traces of one trace: overlapping span subsets spread over resources and scopes. */
function randomPartials(seed: number): Trace[] {
  const random = prng(seed)
  const spans = Array.from({ length: 30 }, (_, i) => span(i + 1, 1 + Math.floor(random() * 5), 1000 + Math.floor(random() * 50), { name: `s${i}` }))
  const partials: Trace[] = []
  const blocks = 2 + Math.floor(random() * 4)
  for (let b = 0; b < blocks; b++) {
    const chosen = spans.filter(() => random() < 0.5)
    const resources = []
    for (let r = 0; r < 3; r++) {
      const mine = chosen.filter((_, i) => i % 3 === r)
      if (mine.length === 0) continue
      resources.push(resource(`svc${r}`, ['scope-a', mine.filter((_, i) => i % 2 === 0)], ['scope-b', mine.filter((_, i) => i % 2 === 1)]))
    }
    if (resources.length > 0) partials.push(trace(...resources))
  }
  return partials
}

describe('two-stage combining (readers, then coordinator) equals one stage', () => {
  it('for every split point of random partial traces', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const partials = randomPartials(seed)
      const one = combineAll(partials)
      const expected = finalizeTrace(one.result({ sort: false })!, one.contributors)
      for (let cut = 1; cut < partials.length; cut++) {
        for (const groups of [[partials.slice(0, cut), partials.slice(cut)], partials.map((p) => [p])]) {
          const coordinator = new TraceCombiner(0)
          for (const group of groups) {
            const reader = combineAll(group)
            coordinator.consume(reader.result({ sort: false }), reader.contributors, reader.exceeded)
          }
          expect(coordinator.contributors).toBe(one.contributors)
          expect(finalizeTrace(coordinator.result({ sort: false })!, coordinator.contributors), `seed ${seed} cut ${cut}`).toEqual(expected)
        }
      }
    }
  })

  it('also when readers sort their own results (as Tempo queriers do)', () => {
    for (let seed = 100; seed < 120; seed++) {
      const partials = randomPartials(seed)
      const one = combineAll(partials)
      const expected = finalizeTrace(one.result({ sort: false })!, one.contributors)
      const coordinator = new TraceCombiner(0)
      for (const group of [partials.slice(0, 1), partials.slice(1)]) {
        const reader = combineAll(group)
        coordinator.consume(reader.result(), reader.contributors)
      }
      expect(finalizeTrace(coordinator.result()!, coordinator.contributors)).toEqual(expected)
    }
  })

  const sized = [0, 1, 2, 3].map((i) => trace(resource(`r${i}`, ['s', [span(i + 1, SERVER, i + 1, { name: 'y'.repeat(100) })]])))
  const limit = traceProtoSize(sized[0]!) * 2 + 5 // two partials fit, the third crosses the limit

  function twoStage(groups: Trace[][]): TraceCombiner {
    const coordinator = new TraceCombiner(limit)
    for (const group of groups) {
      const reader = combineAll(group, limit)
      coordinator.consume(reader.result({ sort: false }), reader.contributors, reader.exceeded)
    }
    return coordinator
  }

  it('with a size limit crossed inside the first reader: same partial result', () => {
    const one = combineAll(sized, limit)
    expect(spanIds(one.result())).toEqual([1, 2, 3])
    const two = twoStage([sized.slice(0, 3), sized.slice(3)])
    expect(two.exceeded).toBe(true)
    expect(two.result()).toEqual(one.result())
  })

  it('with a size limit crossed by a later reader: that reader is taken whole (as Tempo takes a querier shard)', () => {
    const two = twoStage([sized.slice(0, 2), sized.slice(2)])
    expect(two.exceeded).toBe(true)
    expect(spanIds(two.result())).toEqual([1, 2, 3, 4])
  })
})

describe('order independence where Tempo goldens rely on it', () => {
  const permutations = <T>(items: T[]): T[][] =>
    items.length <= 1 ? [items] : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]))

  it('exact duplicates in several blocks and disjoint span subsets give one result in any order', () => {
    const whole = trace(resource('a', ['s', [span(3, SERVER, 30), span(1, CLIENT, 10)]]), resource('b', ['s', [span(2, INTERNAL, 20)]]))
    const disjoint = trace(resource('c', ['s', [span(4, INTERNAL, 5)]]))
    const cases = [
      [whole, structuredClone(whole), structuredClone(whole)],
      [whole, disjoint],
      [whole, structuredClone(whole), disjoint],
    ]
    for (const partials of cases) {
      const results = permutations(partials).map((order) => {
        const c = combineAll(order)
        return finalizeTrace(c.result()!, c.contributors)
      })
      for (const r of results) expect(r).toEqual(results[0])
    }
  })
})
