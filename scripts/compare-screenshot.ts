import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { compareGroups } from '../functions/core/compare/compare-groups.js'
import { renderReportHtml } from '../functions/core/compare-html/render-report.js'
import { checkoutTraces } from '../functions/generator/synth/planted-groups.js'

/**
 * Regenerates docs/compare-report.png, the README's picture of a comparison report: 80 failed checkout
 * traces (causes planted) against 100 successful ones, rendered by headless Chromium (Debian's
 * `chromium`, or CHROMIUM_PATH). Run: npx tsx scripts/compare-screenshot.ts
 */
const report = await compareGroups(
  { label: 'failed', traces: checkoutTraces(80, 21, { errorShare: 0.55, attributeShare: 0.45, slowFactor: 3, missingCacheEdge: true }) },
  { label: 'succeeded', traces: checkoutTraces(100, 22) },
)
const html = renderReportHtml(report, 'Trace comparison: failed vs succeeded checkouts')
const file = join(process.cwd(), '.tempo-batch', 'compare-report.html')
await import('node:fs/promises').then((fs) => fs.mkdir(join(process.cwd(), '.tempo-batch'), { recursive: true }))
await writeFile(file, html)
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
const page = await browser.newPage({ viewport: { width: 1100, height: 1500 }, deviceScaleFactor: 1 })
await page.goto(`file://${file}`)
await page.screenshot({ path: join(process.cwd(), 'docs', 'compare-report.png'), clip: { x: 0, y: 0, width: 1100, height: 1500 } })
await browser.close()
process.stdout.write(`wrote docs/compare-report.png (report also at ${file})\n`)
