import { readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'

/** What one collection found and removed. */
export interface ResultsGcReport {
  /** Request folders removed (or that would be, on a dry run). */
  removed: string[]
  /** Their bytes. */
  bytes: number
  /** Request folders kept (younger than the cut-off). */
  kept: number
}

/**
 * Remove request folders (`<root>/<tenant>/<requestId>/`) of a local results folder whose newest file is
 * older than `olderThan`. Age is the newest file's, so a request still being written (or re-run) is never
 * removed under its feet. Tenant folders left empty go too. Only the two-level layout is touched: anything
 * else in `root` is left alone.
 */
export async function collectOldResults(root: string, olderThan: Date, options: { dryRun?: boolean } = {}): Promise<ResultsGcReport> {
  const report: ResultsGcReport = { removed: [], bytes: 0, kept: 0 }
  for (const tenant of await folders(root)) {
    const tenantDir = join(root, tenant)
    let left = 0
    for (const request of await folders(tenantDir)) {
      const dir = join(tenantDir, request)
      const { newest, bytes } = await newestFile(dir)
      if (newest >= olderThan.getTime()) {
        report.kept++
        left++
        continue
      }
      report.removed.push(`${tenant}/${request}`)
      report.bytes += bytes
      if (!options.dryRun) await rm(dir, { recursive: true, force: true })
    }
    if (left === 0 && !options.dryRun && (await readdir(tenantDir)).length === 0) await rm(tenantDir, { recursive: true, force: true })
  }
  return report
}

async function folders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return []
    throw error
  })
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort()
}

async function newestFile(dir: string): Promise<{ newest: number; bytes: number }> {
  let newest = 0
  let bytes = 0
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      const inner = await newestFile(path)
      newest = Math.max(newest, inner.newest)
      bytes += inner.bytes
    } else if (entry.isFile()) {
      const info = await stat(path)
      newest = Math.max(newest, info.mtimeMs)
      bytes += info.size
    }
  }
  // An empty folder counts by its own time.
  return { newest: newest || (await stat(dir)).mtimeMs, bytes }
}
