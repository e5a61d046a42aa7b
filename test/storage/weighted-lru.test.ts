import { describe, expect, it } from 'vitest'
import { WeightedLru } from '../../functions/core/storage/weighted-lru.js'

describe('WeightedLru', () => {
  it('loads a key once, shares concurrent loads, and evicts least recently used past its weight', async () => {
    const lru = new WeightedLru<string>(10)
    const loads: string[] = []
    const load = (key: string, weight: number) => () => {
      loads.push(key)
      return Promise.resolve({ value: key.toUpperCase(), weight })
    }
    expect(await Promise.all([lru.get('a', load('a', 4)), lru.get('a', load('a', 4))])).toEqual(['A', 'A'])
    await lru.get('b', load('b', 4))
    await lru.get('a', load('a', 4))
    // a was used last: adding c (4) passes 10 and evicts b.
    await lru.get('c', load('c', 4))
    expect(lru.weight).toBe(8)
    await lru.get('a', load('a', 4))
    await lru.get('b', load('b', 4))
    expect(loads).toEqual(['a', 'b', 'c', 'b'])
    expect(lru.weight).toBeLessThanOrEqual(10)
  })

  it('forgets failed loads and does not keep a value heavier than the budget', async () => {
    const lru = new WeightedLru<number>(5)
    await expect(lru.get('x', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await lru.get('x', async () => ({ value: 1, weight: 1 }))).toBe(1)
    expect(await lru.get('huge', async () => ({ value: 2, weight: 6 }))).toBe(2)
    expect(lru.size).toBe(1)
    expect(lru.weight).toBe(1)
  })
})
