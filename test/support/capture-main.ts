import { vi } from 'vitest'
import { main } from '../../functions/cli/main.js'

/** What one in-process CLI run printed and how it exited. */
export interface CapturedRun {
  code: number
  stdout: string
  stderr: string
}

type WriteCallback = (error?: Error | null) => void

/**
 * Run the CLI's `main` in this process with stdout and stderr captured (write callbacks are called, so
 * code that waits on them goes on). Much cheaper than a child process for argument checks.
 */
export async function captureMain(argv: string[]): Promise<CapturedRun> {
  const out: string[] = []
  const err: string[] = []
  const recorder = (into: string[]) => (chunk: unknown, encoding?: unknown, callback?: unknown) => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'))
    const done = (typeof encoding === 'function' ? encoding : callback) as WriteCallback | undefined
    if (done) queueMicrotask(() => done(null))
    return true
  }
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(recorder(out) as never), vi.spyOn(process.stderr, 'write').mockImplementation(recorder(err) as never)]
  try {
    const code = await main(argv)
    return { code, stdout: out.join(''), stderr: err.join('') }
  } finally {
    for (const spy of spies) spy.mockRestore()
  }
}
