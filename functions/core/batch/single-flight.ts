/**
 * One run at a time per key in this process: a call for a key that is already running waits for that run
 * to end, then goes again (and finds its manifest: reused, or a conflict). Two runs of one request ID side
 * by side would write the same run folder, and one's merge could read the other's parts.
 */
export class SingleFlight {
  private readonly running = new Map<string, Promise<unknown>>()

  /** Run `work` under `key` once no other run of `key` is in flight. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    for (let current = this.running.get(key); current !== undefined; current = this.running.get(key)) {
      await current.catch(() => undefined)
    }
    const run = work()
    this.running.set(key, run)
    try {
      return await run
    } finally {
      if (this.running.get(key) === run) this.running.delete(key)
    }
  }
}
