import { constants } from 'node:fs'
import { access, open, stat, type FileHandle } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { UsageError } from './args.js'

/**
 * Where a command writes its output (`--out`, `--stats`): checked before any block is read, so a typo in
 * a folder name costs nothing, and written through a handle whose failures are ordinary errors (a stream's
 * unhandled 'error' event would crash the process with a stack trace after the whole batch had run).
 */

/** Throw `UsageError` naming `flag` unless `path` can be created or overwritten as a file (`-` is stdout). */
export async function checkOutputPath(path: string, flag: string): Promise<void> {
  if (path === '-') return
  if (path === '') throw new UsageError(flag, 'is empty')
  const target = resolve(path)
  const existing = await stat(target).catch(() => undefined)
  if (existing?.isDirectory()) throw new UsageError(flag, `${path} is a folder; give a file name`)
  const folder = dirname(target)
  const parent = await stat(folder).catch(() => undefined)
  if (!parent) throw new UsageError(flag, `folder ${folder} does not exist`)
  if (!parent.isDirectory()) throw new UsageError(flag, `${folder} is not a folder`)
  const writable = await access(existing ? target : folder, constants.W_OK).then(
    () => true,
    () => false,
  )
  if (!writable) throw new UsageError(flag, `${existing ? target : folder} is not writable`)
}

/** An output opened for writing. */
export interface OutputSink {
  write(text: string | Uint8Array): Promise<void>
  close(): Promise<void>
}

/** Open `path` (or stdout for `-`). Stdout closed by its reader (`| head`) ends the output quietly. */
export async function openOutput(path: string): Promise<OutputSink> {
  if (path === '-') return stdoutSink()
  const handle: FileHandle = await open(path, 'w')
  return {
    write: async (text) => {
      await handle.write(typeof text === 'string' ? Buffer.from(text) : text)
    },
    close: () => handle.close(),
  }
}

function stdoutSink(): OutputSink {
  let closedByReader = false
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closedByReader = true
  }
  process.stdout.on('error', onError)
  return {
    write: (text) =>
      new Promise<void>((done, fail) => {
        if (closedByReader) return done()
        process.stdout.write(text, (error) => {
          if (!error || (error as NodeJS.ErrnoException).code === 'EPIPE') done()
          else fail(error)
        })
      }),
    close: async () => {
      process.stdout.off('error', onError)
    },
  }
}
