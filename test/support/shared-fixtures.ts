import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Where the shared Tempo fixtures live. They are Tempo's data (AGPL-3.0): tests read them in place and
 * never copy them into the project. `TEMPO_BATCH_SHARED` overrides the default `../shared` beside the
 * repository.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Absolute path of the shared folder (may not exist). */
export const sharedDir = resolve(process.env.TEMPO_BATCH_SHARED ?? join(repoRoot, '..', 'shared'))

/** `shared/fixtures/tempo-blocks` (real blocks from Tempo's repository). */
export const tempoBlocksDir = join(sharedDir, 'fixtures', 'tempo-blocks')

/** `shared/fixtures/tempo-generated` (Tempo v3.0.3 blocks and golden responses). */
export const tempoGeneratedDir = join(sharedDir, 'fixtures', 'tempo-generated')

/** True when the shared fixtures are present. */
export const hasSharedFixtures = existsSync(tempoBlocksDir) && existsSync(tempoGeneratedDir)

// In CI a missing folder must fail the run: skipping would leave the golden, handler, SQS, Step Functions
// and fault suites silently unrun. Every suite that needs the fixtures imports this module, so each fails.
if (!hasSharedFixtures && isCi(process.env.CI)) {
  throw new Error(`Tempo fixtures not found at ${sharedDir}: CI requires them (set TEMPO_BATCH_SHARED to the shared folder)`)
}

/** True for a `CI` variable as CI systems set it (`true`, `1`, ...), false when unset, empty, `0` or `false`. */
export function isCi(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false'
}

/** Message for `describe.skipIf(!hasSharedFixtures)` suites, printed once per file. */
export function sharedFixturesSkipNote(suite: string): void {
  if (!hasSharedFixtures) {
    console.warn(`[${suite}] skipped: Tempo fixtures not found at ${sharedDir} (set TEMPO_BATCH_SHARED to the shared folder)`)
  }
}
