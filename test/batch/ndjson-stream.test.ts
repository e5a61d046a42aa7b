import { randomBytes } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { ndjsonLines, openNdjsonObject } from '../../functions/core/results/ndjson.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = []
  for await (const x of it) out.push(x)
  return out
}

/** `bytes` cut into chunks of `size` (the last shorter); with `failAt`, the stream throws before that chunk. */
async function* chunksOf(bytes: Uint8Array, size: number, failAt?: number, onDone?: () => void): AsyncIterable<Uint8Array> {
  try {
    for (let offset = 0, i = 0; offset < bytes.length; offset += size, i++) {
      if (i === failAt) throw new Error('store read failed')
      await Promise.resolve()
      yield bytes.subarray(offset, offset + size)
    }
  } finally {
    onDone?.()
  }
}

// Multibyte characters of 2, 3 and 4 bytes, so small chunks cut through them.
const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify({ i, s: 'ü✨𝄞'.repeat(i % 7), pad: 'x'.repeat(i % 13) }))
const plain = new TextEncoder().encode(lines.join('\n') + '\n')
const gzipped = new Uint8Array(gzipSync(plain))

describe('ndjsonLines over a stream of chunks', () => {
  for (const [name, bytes] of [
    ['plain', plain],
    ['gzip', gzipped],
  ] as const) {
    it(`${name}: lines and characters split across chunk borders, gzip sniffed or given`, async () => {
      for (const size of [1, 2, 3, 7, 64, 1000, bytes.length]) {
        expect(await collect(ndjsonLines(chunksOf(bytes, size)))).toEqual(lines)
        expect(await collect(ndjsonLines(chunksOf(bytes, size), name === 'gzip'))).toEqual(lines)
      }
    })

    it(`${name}: a failing source rejects the iteration (no hang)`, async () => {
      await expect(collect(ndjsonLines(chunksOf(bytes, 50, 3)))).rejects.toThrow('store read failed')
    })

    it(`${name}: a consumer that stops early stops the source`, async () => {
      let sourceDone = false
      for await (const line of ndjsonLines(chunksOf(bytes, 100, undefined, () => (sourceDone = true)))) {
        expect(line).toBe(lines[0])
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 10))
      expect(sourceDone).toBe(true)
    })
  }

  it('an empty stream has no lines; a last line without newline counts', async () => {
    expect(await collect(ndjsonLines(chunksOf(new Uint8Array(0), 4)))).toEqual([])
    expect(await collect(ndjsonLines(chunksOf(new TextEncoder().encode('{"a":1}\n\n{"b":2}'), 3)))).toEqual(['{"a":1}', '{"b":2}'])
  })

  it('a truncated gzip stream is an error, not a short result', async () => {
    await expect(collect(ndjsonLines(chunksOf(gzipped.subarray(0, gzipped.length - 20), 64)))).rejects.toThrow(/unexpected end/)
  })
})

/** A memory store that records putStream options and can be told to fail or stall mid-stream. */
class ScriptedStore extends MemoryStore {
  options: unknown[] = []
  failAfterChunks: number | undefined
  /** Read nothing until this settles (a store busy elsewhere): the writer must feel backpressure. */
  gate: Promise<void> | undefined

  override async putStream(key: string, body: AsyncIterable<Uint8Array>, options?: { contentType?: string; contentEncoding?: string }): Promise<void> {
    this.options.push(options)
    await this.gate
    let chunks = 0
    const failAfter = this.failAfterChunks
    async function* counted(): AsyncIterable<Uint8Array> {
      for await (const chunk of body) {
        if (failAfter !== undefined && ++chunks > failAfter) throw new Error('disk full')
        yield chunk
      }
    }
    return super.putStream(key, counted())
  }
}

describe('openNdjsonObject (streamed writer)', () => {
  it('writes gzip and plain objects that read back line for line, visible only after finish', async () => {
    for (const compress of [true, false]) {
      const store = new ScriptedStore()
      const writer = openNdjsonObject(store, 'r/result.ndjson', { compress })
      for (const line of lines) await writer.write(line)
      expect(store.keys()).toEqual([])
      await writer.finish()
      expect(writer.lineCount).toBe(lines.length)
      const bytes = await store.get('r/result.ndjson')
      expect(bytes[0] === 0x1f && bytes[1] === 0x8b).toBe(compress)
      expect(await collect(ndjsonLines(bytes))).toEqual(lines)
      expect(store.options).toEqual([compress ? { contentType: 'application/x-ndjson', contentEncoding: 'gzip' } : { contentType: 'application/x-ndjson' }])
    }
  })

  it('waits while the store does not read (backpressure)', async () => {
    const store = new ScriptedStore()
    let release = () => {}
    store.gate = new Promise((resolve) => (release = resolve))
    const writer = openNdjsonObject(store, 'stalled')
    const noise = randomBytes(64 * 1024).toString('base64')
    let written = 0
    const writing = (async () => {
      for (let i = 0; i < 200; i++) {
        await writer.write(noise)
        written++
      }
    })()
    await new Promise((resolve) => setTimeout(resolve, 200))
    // 200 incompressible lines are ~17 MB; the streams buffer far less before write() waits.
    expect(written).toBeLessThan(20)
    const failure = new Error('test over')
    const aborted = writer.abort(failure)
    release()
    await aborted
    await expect(writing).rejects.toBe(failure)
    expect(store.keys()).toEqual([])
  })

  it('rejects write and finish when the store fails mid-stream, never hanging on drain', async () => {
    const store = new ScriptedStore()
    store.failAfterChunks = 2
    const writer = openNdjsonObject(store, 'failing')
    const noise = randomBytes(32 * 1024).toString('base64')
    const error = await (async () => {
      for (let i = 0; i < 500; i++) await writer.write(noise)
      await writer.finish()
    })().catch((e: unknown) => e)
    expect((error as Error).message).toBe('disk full')
    await expect(writer.finish()).rejects.toThrow('disk full')
    expect(store.keys()).toEqual([])
  })

  it('rejects finish when the store fails on the last bytes', async () => {
    const store = new ScriptedStore()
    store.failAfterChunks = 0
    const writer = openNdjsonObject(store, 'tiny')
    await writer.write('{"a":1}')
    await expect(writer.finish()).rejects.toThrow('disk full')
    expect(store.keys()).toEqual([])
  })

  it('abort: the put fails with the given error and nothing is stored', async () => {
    const store = new ScriptedStore()
    const writer = openNdjsonObject(store, 'aborted')
    await writer.write('{"a":1}')
    const failure = new Error('merge failed')
    await writer.abort(failure)
    await expect(writer.write('{"b":2}')).rejects.toBe(failure)
    await expect(writer.finish()).rejects.toBe(failure)
    expect(store.keys()).toEqual([])
  })
})
