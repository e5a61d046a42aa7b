import type { ByteRange, ListOptions, ObjectInfo, ObjectStore } from './object-store.js'

/** Simulated network cost of each request. */
export interface LatencyOptions {
  /** Fixed delay added to every request (time to first byte), milliseconds. Default 20. */
  latencyMs?: number
  /** Transfer rate of one request, bytes per second (S3 gives roughly 50-100 MB/s per stream). Default 80e6. */
  bytesPerSecond?: number
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Wraps a store and makes every request cost a fixed latency plus its bytes at a per-request bandwidth cap,
 * so a benchmark over local files shows what round trips and bytes would cost on S3. Concurrent requests
 * overlap, as they do on S3.
 */
export class LatencyStore implements ObjectStore {
  readonly description: string
  private readonly latencyMs: number
  private readonly bytesPerSecond: number

  constructor(
    private readonly inner: ObjectStore,
    options: LatencyOptions = {},
  ) {
    this.latencyMs = options.latencyMs ?? 20
    this.bytesPerSecond = options.bytesPerSecond ?? 80e6
    this.description = `${inner.description} (+${this.latencyMs} ms, ${Math.round(this.bytesPerSecond / 1e6)} MB/s per request)`
  }

  /** Delay a request of `bytes` bytes costs. */
  costMs(bytes: number): number {
    return this.latencyMs + (bytes / this.bytesPerSecond) * 1000
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    const started = performance.now()
    const bytes = await this.inner.get(key, range)
    await sleep(Math.max(0, this.costMs(bytes.length) - (performance.now() - started)))
    return bytes
  }

  async head(key: string): Promise<ObjectInfo> {
    await sleep(this.latencyMs)
    return this.inner.head(key)
  }

  async *list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo> {
    await sleep(this.latencyMs)
    yield* this.inner.list(prefix, options)
  }

  async listFolders(prefix: string): Promise<string[]> {
    await sleep(this.latencyMs)
    return this.inner.listFolders(prefix)
  }

  async put(key: string, body: Uint8Array, options?: { contentType?: string; contentEncoding?: string }): Promise<void> {
    await sleep(this.costMs(body.length))
    return this.inner.put(key, body, options)
  }

  /** One latency up front, then each chunk's transfer time as it passes (the upload runs while the body is produced). */
  async putStream(key: string, body: AsyncIterable<Uint8Array>, options?: { contentType?: string; contentEncoding?: string }): Promise<void> {
    await sleep(this.latencyMs)
    const bytesPerSecond = this.bytesPerSecond
    async function* paced(): AsyncIterable<Uint8Array> {
      for await (const chunk of body) {
        await sleep((chunk.length / bytesPerSecond) * 1000)
        yield chunk
      }
    }
    return this.inner.putStream(key, paced(), options)
  }
}
