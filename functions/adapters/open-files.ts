import { open, type FileHandle } from 'node:fs/promises'

interface OpenFile {
  opened: Promise<{ handle: FileHandle; size: number }>
  users: number
  evicted: boolean
}

/**
 * Read-only file handles kept open with their sizes, at most `limit` at once (least recently used
 * closed first): a block's data.parquet is read in many ranged reads, and opening, stat-ing and
 * closing it for each was a visible share of a warm lookup's CPU. Only for files that do not change
 * while open (Tempo's blocks); a handle in use is closed only after its last reader is done.
 */
export class OpenFiles {
  private readonly files = new Map<string, OpenFile>()

  constructor(readonly limit: number) {}

  /** Run `read` with an open handle of `path` and the file's size (opening it when not open yet). */
  async use<T>(path: string, read: (handle: FileHandle, size: number) => Promise<T>): Promise<T> {
    let file = this.files.get(path)
    if (file) {
      this.files.delete(path)
    } else {
      file = { opened: openWithSize(path), users: 0, evicted: false }
      // A failed open is not kept.
      const failed = file
      file.opened.catch(() => {
        if (this.files.get(path) === failed) this.files.delete(path)
      })
    }
    this.files.set(path, file)
    this.evictBeyondLimit()
    file.users++
    try {
      const { handle, size } = await file.opened
      return await read(handle, size)
    } finally {
      file.users--
      if (file.evicted && file.users === 0) await closeQuietly(file)
    }
  }

  /** Forget `path` (it was replaced): its handle is closed once no reader uses it. */
  forget(path: string): void {
    const file = this.files.get(path)
    if (!file) return
    this.files.delete(path)
    file.evicted = true
    if (file.users === 0) void closeQuietly(file)
  }

  /** Close every handle not in use and forget them all. */
  async closeAll(): Promise<void> {
    const files = [...this.files.values()]
    this.files.clear()
    for (const file of files) file.evicted = true
    await Promise.all(files.filter((f) => f.users === 0).map(closeQuietly))
  }

  private evictBeyondLimit(): void {
    for (const path of this.files.keys()) {
      if (this.files.size <= this.limit) return
      this.forget(path)
    }
  }
}

async function openWithSize(path: string): Promise<{ handle: FileHandle; size: number }> {
  const handle = await open(path, 'r')
  try {
    return { handle, size: (await handle.stat()).size }
  } catch (error) {
    await handle.close()
    throw error
  }
}

async function closeQuietly(file: OpenFile): Promise<void> {
  await file.opened.then(({ handle }) => handle.close()).catch(() => undefined)
}
