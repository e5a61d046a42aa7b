import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * tempo-batch's version, from its package.json found upwards from this file (the sources and `dist/`
 * sit at different depths); `unknown` if none is found.
 */
export function packageVersion(): string {
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
