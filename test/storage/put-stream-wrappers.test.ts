import { describe, expect, it } from 'vitest'
import { CountingStore } from '../../functions/core/storage/counting-store.js'
import { LatencyStore } from '../../functions/core/storage/latency-store.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'

async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part)
}

describe('putStream through the wrapper stores', () => {
  it('CountingStore counts a streamed write as one put (no bytes read) and writes through', async () => {
    const inner = new MemoryStore()
    const store = new CountingStore(inner)
    await store.putStream('k', chunks('ab', 'cd'))
    expect(store.log.map((r) => [r.kind, r.key, r.bytes])).toEqual([['put', 'k', 0]])
    expect(new TextDecoder().decode(await inner.get('k'))).toBe('abcd')
  })

  it('CountingStore passes a failing body through', async () => {
    const store = new CountingStore(new MemoryStore())
    const failure = new Error('body failed')
    async function* failing(): AsyncIterable<Uint8Array> {
      yield Uint8Array.of(1)
      throw failure
    }
    await expect(store.putStream('k', failing())).rejects.toBe(failure)
    expect(store.log.map((r) => r.kind)).toEqual(['put'])
  })

  it('LatencyStore charges the latency and each chunk at its bandwidth, then writes through', async () => {
    const inner = new MemoryStore()
    // 20 ms up front, then 2 chunks of 1,000 bytes at 50,000 B/s = 20 ms each.
    const store = new LatencyStore(inner, { latencyMs: 20, bytesPerSecond: 50_000 })
    const started = performance.now()
    await store.putStream('k', chunks('x'.repeat(1000), 'y'.repeat(1000)))
    expect(performance.now() - started).toBeGreaterThanOrEqual(55)
    expect((await inner.head('k')).size).toBe(2000)
  })
})
