import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Tempo's `/api/status/buildinfo` body (Prometheus' version fields). */
export interface BuildInfo {
  version: string
  revision: string
  branch: string
  buildUser: string
  buildDate: string
  goVersion: string
}

let cached: BuildInfo | undefined

/**
 * Our build info in Tempo's shape. The version is tempo-batch's own (from our package.json, found
 * upwards from this file: the source tree and `dist/` sit at different depths); the Go-specific
 * fields stay empty rather than pretend. Grafana reads `version` and compares it with Tempo
 * releases, so features that need a newer Tempo (streaming) stay off.
 */
export function buildInfo(): BuildInfo {
  cached ??= { version: ownVersion(), revision: '', branch: '', buildUser: '', buildDate: '', goVersion: '' }
  return cached
}

function ownVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let depth = 0; depth < 6; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'tempo-batch' && typeof pkg.version === 'string') return pkg.version
    } catch {
      // no package.json here: keep walking up
    }
    dir = dirname(dir)
  }
  return 'unknown'
}
