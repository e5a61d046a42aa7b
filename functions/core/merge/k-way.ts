import { TempoBatchError } from '../contract/errors.js'

/** A source of a k-way merge produced keys out of order (a reader wrote an unsorted part). */
export class UnsortedSourceError extends TempoBatchError {
  constructor(source: number, previous: string, next: string) {
    super(`merge: source ${source} is not sorted: ${JSON.stringify(next)} after ${JSON.stringify(previous)}`)
  }
}

/** All items with one key, from every source that had it, in source order. */
export interface MergedGroup<T> {
  key: string
  items: { source: number; item: T }[]
}

interface Head<T> {
  iterator: AsyncIterator<T>
  current: T | undefined
  key: string
  done: boolean
}

/**
 * Streaming k-way merge of sources each sorted ascending by `keyOf`, grouping equal keys. Holds one
 * item per source at a time, so memory is bounded by k items, not by the sources. Equal keys inside one
 * source are grouped too (a source may repeat a key). Small k: a linear scan per step beats a heap.
 */
export async function* mergeSorted<T>(sources: AsyncIterable<T>[], keyOf: (item: T) => string): AsyncIterable<MergedGroup<T>> {
  const heads: Head<T>[] = sources.map((s) => ({ iterator: s[Symbol.asyncIterator](), current: undefined, key: '', done: false }))
  const advance = async (head: Head<T>, index: number): Promise<void> => {
    const next = await head.iterator.next()
    if (next.done) {
      head.done = true
      head.current = undefined
      return
    }
    const key = keyOf(next.value)
    if (head.current !== undefined && key < head.key) throw new UnsortedSourceError(index, head.key, key)
    head.current = next.value
    head.key = key
  }
  try {
    await Promise.all(heads.map((h, i) => advance(h, i)))
    while (true) {
      let smallest: string | undefined
      for (const h of heads) if (!h.done && (smallest === undefined || h.key < smallest)) smallest = h.key
      if (smallest === undefined) return
      const group: MergedGroup<T> = { key: smallest, items: [] }
      for (let i = 0; i < heads.length; i++) {
        const h = heads[i]!
        while (!h.done && h.key === smallest) {
          group.items.push({ source: i, item: h.current as T })
          await advance(h, i)
        }
      }
      yield group
    }
  } finally {
    await Promise.all(heads.filter((h) => !h.done).map((h) => h.iterator.return?.()))
  }
}
