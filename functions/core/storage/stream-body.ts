/**
 * The body of a streamed write (`ObjectStore.putStream`), wrapped so the store can tell the caller's own
 * failure (rethrown as is: the caller knows what it means) from its own (wrapped in a `StorageError`).
 */
export class StreamBody implements AsyncIterable<Uint8Array> {
  /** Bytes the store has taken from the body so far. */
  bytes = 0
  private failure: { error: unknown } | undefined

  constructor(private readonly body: AsyncIterable<Uint8Array>) {}

  /** The error to throw for `error`: the body's own failure as is, anything else through `wrap`. */
  errorFor(error: unknown, wrap: (error: unknown) => unknown): unknown {
    return this.failure !== undefined ? this.failure.error : wrap(error)
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const iterator = this.body[Symbol.asyncIterator]()
    let finished = false
    try {
      for (;;) {
        let next: IteratorResult<Uint8Array>
        try {
          next = await iterator.next()
        } catch (error) {
          this.failure = { error }
          finished = true
          throw error
        }
        if (next.done) {
          finished = true
          return
        }
        this.bytes += next.value.length
        yield next.value
      }
    } finally {
      // The store gave up early: let the producer release what it holds (a gzip stream, a file).
      if (!finished) await Promise.resolve(iterator.return?.()).catch(() => undefined)
    }
  }
}
