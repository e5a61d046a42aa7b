interface Entry<V> {
  value: Promise<V>
  weight: number
}

/**
 * A bounded cache of loaded values, weighed (e.g. in bytes) and evicted least recently used first.
 * Concurrent requests for a missing key share one load; a failed load is forgotten, so the next request
 * tries again. A value heavier than the whole budget is handed out but not kept.
 */
export class WeightedLru<V> {
  private readonly entries = new Map<string, Entry<V>>()
  private total = 0

  /** @param maxWeight The most weight kept at once. */
  constructor(readonly maxWeight: number) {}

  /** Weight of the values kept now. */
  get weight(): number {
    return this.total
  }

  /** Number of values kept (loads in flight included). */
  get size(): number {
    return this.entries.size
  }

  /** The value under `key`, loading it when absent; `load` also says what the value weighs. */
  get(key: string, load: () => Promise<{ value: V; weight: number }>): Promise<V> {
    const hit = this.entries.get(key)
    if (hit) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(key)
      this.entries.set(key, hit)
      return hit.value
    }
    const entry = { weight: 0 } as Entry<V>
    entry.value = load().then((loaded) => this.settle(key, entry, loaded))
    this.entries.set(key, entry)
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key)
    })
    return entry.value
  }

  private settle(key: string, entry: Entry<V>, loaded: { value: V; weight: number }): V {
    if (this.entries.get(key) !== entry) return loaded.value
    if (loaded.weight > this.maxWeight) {
      this.entries.delete(key)
      return loaded.value
    }
    entry.weight = loaded.weight
    this.total += loaded.weight
    for (const [oldest, kept] of this.entries) {
      if (this.total <= this.maxWeight) break
      if (kept === entry) continue
      this.entries.delete(oldest)
      this.total -= kept.weight
    }
    return loaded.value
  }
}
