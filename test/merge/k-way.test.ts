import { describe, it, expect } from 'vitest'
import { mergeSorted, UnsortedSourceError } from '../../functions/core/merge/k-way.js'

async function* from<T>(items: T[]): AsyncIterable<T> {
  for (const item of items) yield item
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

describe('mergeSorted', () => {
  it('groups equal keys across sources in source order', async () => {
    const a = [{ k: 'a', v: 1 }, { k: 'c', v: 2 }]
    const b = [{ k: 'b', v: 3 }, { k: 'c', v: 4 }, { k: 'c', v: 5 }, { k: 'd', v: 6 }]
    const groups = await collect(mergeSorted([from(a), from([]), from(b)], (x) => x.k))
    expect(groups.map((g) => [g.key, g.items.map((i) => [i.source, i.item.v])])).toEqual([
      ['a', [[0, 1]]],
      ['b', [[2, 3]]],
      ['c', [[0, 2], [2, 4], [2, 5]]],
      ['d', [[2, 6]]],
    ])
  })

  it('rejects an unsorted source', async () => {
    await expect(collect(mergeSorted([from(['b', 'a'])], (x) => x))).rejects.toThrow(UnsortedSourceError)
  })

  it('pulls lazily: at most one item per source ahead', async () => {
    let pulled = 0
    async function* counting(n: number): AsyncIterable<string> {
      for (let i = 0; i < n; i++) {
        pulled++
        yield String(i).padStart(4, '0')
      }
    }
    const iterator = mergeSorted([counting(1000), counting(1000)], (x) => x)[Symbol.asyncIterator]()
    await iterator.next()
    expect(pulled).toBeLessThanOrEqual(4)
    await iterator.return?.()
  })
})
