import { describe, expect, it } from 'vitest'
import { finalizeStage, finalizeTrace } from '../../functions/core/combine/finalize.js'
import type { Trace } from '../../functions/core/otlp/model.js'
import { fakeTrace } from '../batch/fake-traces.js'

const A = 'a'.repeat(32)

describe('finalizeStage', () => {
  it('is finalizeTrace, and recombinable when nothing was renamed and the sort can be repeated', () => {
    const trace = fakeTrace(A, [{ id: 2, start: 20 }, { id: 1, start: 10 }])
    for (const contributors of [1, 2]) {
      const stage = finalizeStage(trace, contributors)
      expect(stage.trace).toEqual(finalizeTrace(trace, contributors))
      expect(stage.recombinable).toBe(true)
    }
  })

  it('is not recombinable once Zipkin span IDs were renamed', () => {
    const trace = fakeTrace(A, [{ id: 7, start: 1, kind: 3 }, { id: 7, start: 2, kind: 2 }])
    expect(finalizeStage(trace, 1).recombinable).toBe(false)
  })

  it('is not recombinable once sorted with a scope without spans (Tempo compares it equal to everything)', () => {
    const base = fakeTrace(A, [{ id: 1, start: 1 }])
    const withEmptyScope: Trace = { resourceSpans: [{ ...base.resourceSpans![0]!, scopeSpans: [...base.resourceSpans![0]!.scopeSpans!, { scope: {}, spans: [] }] }] }
    expect(finalizeStage(withEmptyScope, 1).recombinable).toBe(true)
    expect(finalizeStage(withEmptyScope, 2).recombinable).toBe(false)
  })
})
