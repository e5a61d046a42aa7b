import { packageVersion } from '../config/package-version.js'

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
  cached ??= { version: packageVersion(), revision: '', branch: '', buildUser: '', buildDate: '', goVersion: '' }
  return cached
}
