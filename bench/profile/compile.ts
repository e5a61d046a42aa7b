import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'

/**
 * The profiled child runs from plain JS, not through tsx: tsx compiles with esbuild's `keepNames`, which
 * wraps every closure created at run time in a `defineProperty` call (time and garbage the built CLI
 * never pays) and left whole-module profiles attributing samples to the wrong functions. Each source file
 * becomes one JS file, as `tsc` would emit it, so profile frames keep their file paths (the breakdown
 * buckets go by path). Output: `bench/.build/` (git-ignored); returns the child's path there.
 */
export async function compileProfileChild(repoRoot: string): Promise<string> {
  const outdir = join(repoRoot, 'bench', '.build')
  const entryPoints = [...sources(join(repoRoot, 'functions')), ...sources(join(repoRoot, 'bench'))].filter((path) => !path.startsWith(join(repoRoot, 'bench', 'results')))
  await build({ entryPoints, outdir, outbase: repoRoot, format: 'esm', platform: 'node', target: 'node20', bundle: false, logLevel: 'error' })
  return join(outdir, 'bench', 'child.js')
}

/** The `.ts` sources under `dir`, tests and dot-folders (the bench's caches) left out. */
function sources(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...sources(path))
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) out.push(path)
  }
  return out
}
