import { ParquetBlockFile } from './block-file.js'

/**
 * Opened `data.parquet` files kept across `findTracesInBlock` calls of one job (for instance one per
 * chunk of IDs), so a block's footer, fetched bytes and decoded pages are read once rather than once per
 * call. Holds at most `maxFiles` (least recently used dropped first): each may keep its block's decoded
 * pages, several MB to tens of MB, so size it to the blocks searched at once. One call per block at a time.
 */
export class BlockFileCache {
  private readonly files = new Map<string, Promise<ParquetBlockFile>>()

  constructor(readonly maxFiles = 4) {}

  /** The cached file for `key`, or the one `open` makes (a failed open is not kept). */
  async get(key: string, open: () => Promise<ParquetBlockFile>): Promise<ParquetBlockFile> {
    let file = this.files.get(key)
    if (file) {
      this.files.delete(key)
    } else {
      const opening = open()
      opening.catch(() => {
        if (this.files.get(key) === opening) this.files.delete(key)
      })
      file = opening
    }
    this.files.set(key, file)
    while (this.files.size > this.maxFiles) this.files.delete(this.files.keys().next().value!)
    return file
  }

  /** Files held now. */
  get size(): number {
    return this.files.size
  }

  /** Drop every file. */
  clear(): void {
    this.files.clear()
  }
}
