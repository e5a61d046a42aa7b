import { existsSync } from 'node:fs'
import type { Browser } from 'playwright-core'

/**
 * Headless Chromium for page tests: Debian's `chromium` package (or the binary named by `CHROMIUM_PATH`),
 * driven by playwright-core without any browser download. Absent locally, page tests skip with a note;
 * absent in CI (`CI` set), they fail, so a CI that lost its browser cannot pass silently.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** True when the browser binary is there. */
export const hasChromium = existsSync(chromiumPath)

/** True when page tests must run (in CI), browser or not. */
export const chromiumRequired = Boolean(process.env.CI)

/** Print why a page suite is skipped (once per file). */
export function chromiumSkipNote(suite: string): void {
  if (!hasChromium && !chromiumRequired) console.warn(`[${suite}] skipped: no Chromium at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)`)
}

/** Launch headless Chromium; throws with the install hint when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!hasChromium) throw new Error(`chromium not found at ${chromiumPath}: page tests need it in CI (apt-get install -y chromium)`)
  const { chromium } = await import('playwright-core')
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
}
