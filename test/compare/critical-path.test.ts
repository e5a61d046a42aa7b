import { describe, expect, it } from 'vitest'
import { criticalPath, criticalTimeByOperation } from '../../functions/core/compare/critical-path.js'
import { viewTrace } from '../../functions/core/compare/trace-view.js'
import { handTrace, type HandSpan } from './hand-traces.js'

/** The critical path as [name, start, end] in time order, and the milliseconds per name. */
function path(spans: HandSpan[]): { sections: [string, number, number][]; byName: Record<string, number> } {
  const view = viewTrace(handTrace(spans))
  const sections = criticalPath(view)
    .map((s) => [view.spans[s.span]!.name, s.start, s.end] as [string, number, number])
    .sort((a, b) => a[1] - b[1])
  const byName: Record<string, number> = {}
  for (const [operation, ms] of criticalTimeByOperation(view, criticalPath(view))) byName[operation.replace('svc: ', '')] = ms
  return { sections, byName }
}

describe('critical path', () => {
  it('sequential children: each child in turn, the parent in the gaps', () => {
    const { sections } = path([
      [1, 0, 'root', 0, 100],
      [2, 1, 'a', 10, 40],
      [3, 1, 'b', 40, 70],
      [4, 1, 'c', 75, 95],
    ])
    expect(sections).toEqual([
      ['root', 0, 10],
      ['a', 10, 40],
      ['b', 40, 70],
      ['root', 70, 75],
      ['c', 75, 95],
      ['root', 95, 100],
    ])
  })

  it('overlapping children: the last to finish blocks, a child hidden under it does not', () => {
    const { sections, byName } = path([
      [1, 0, 'root', 0, 100],
      [2, 1, 'slow', 10, 90],
      [3, 1, 'fast', 20, 50], // runs beside 'slow', ends first: not on the path
      [4, 1, 'early', 2, 8],
    ])
    expect(sections).toEqual([
      ['root', 0, 2],
      ['early', 2, 8],
      ['root', 8, 10],
      ['slow', 10, 90],
      ['root', 90, 100],
    ])
    expect(byName.fast).toBeUndefined()
  })

  it('a child that starts before its sibling ends (small overlap) hands the path over at its own start', () => {
    const { sections } = path([
      [1, 0, 'root', 0, 100],
      [2, 1, 'first', 0, 55],
      [3, 1, 'second', 50, 100],
    ])
    // 'first' still runs when 'second' starts, so it does not block 'second': the parent holds 0-50.
    expect(sections).toEqual([
      ['root', 0, 50],
      ['second', 50, 100],
    ])
  })

  it('descends through grandchildren', () => {
    const { sections } = path([
      [1, 0, 'root', 0, 100],
      [2, 1, 'mid', 10, 90],
      [3, 2, 'leaf', 30, 60],
    ])
    expect(sections).toEqual([
      ['root', 0, 10],
      ['mid', 10, 30],
      ['leaf', 30, 60],
      ['mid', 60, 90],
      ['root', 90, 100],
    ])
  })

  it('a child outliving its parent (async work) is truncated at the parent end', () => {
    const { sections, byName } = path([
      [1, 0, 'root', 0, 100],
      [2, 1, 'async', 60, 400],
    ])
    expect(sections).toEqual([
      ['root', 0, 60],
      ['async', 60, 100],
    ])
    expect(byName.async).toBe(40)
  })

  it('clock skew: a child shifted before its parent start is truncated there; one wholly outside is dropped with its subtree', () => {
    const { sections, byName } = path([
      [1, 0, 'root', 100, 200],
      [2, 1, 'early-clock', 90, 150], // starts 10 ms before its parent: truncated to 100
      [3, 1, 'far-future', 250, 300], // no overlap with its parent at all: dropped
      [4, 3, 'under-far', 260, 270],
    ])
    // Times count from the trace's earliest start (the skewed child's, 90).
    expect(sections).toEqual([
      ['early-clock', 10, 60],
      ['root', 60, 110],
    ])
    expect(byName['far-future']).toBeUndefined()
    expect(byName['under-far']).toBeUndefined()
  })

  it('sections tile the root span exactly', () => {
    const { byName } = path([
      [1, 0, 'root', 0, 1000],
      [2, 1, 'a', 0, 300],
      [3, 1, 'b', 100, 700],
      [4, 3, 'c', 200, 650],
      [5, 1, 'd', 690, 1000],
      [6, 5, 'e', 700, 990],
    ])
    expect(Object.values(byName).reduce((a, b) => a + b, 0)).toBe(1000)
  })

  it('survives a parent cycle and an empty trace', () => {
    const cyclic = path([
      [1, 2, 'x', 0, 10],
      [2, 1, 'y', 0, 10],
    ])
    expect(cyclic.sections.length).toBeGreaterThan(0)
    expect(criticalPath(viewTrace({}))).toEqual([])
  })
})
