import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareGroups } from '../../functions/core/compare/compare-groups.js'
import type { CompareReport } from '../../functions/core/compare/report-types.js'
import { renderReportHtml } from '../../functions/core/compare-html/render-report.js'
import { checkoutTraces } from '../../functions/generator/synth/planted-groups.js'
import { chromiumRequired, chromiumSkipNote, hasChromium, launchChromium } from '../support/chromium.js'
import { handTrace } from './hand-traces.js'

async function plantedReport(): Promise<CompareReport> {
  return compareGroups(
    { label: 'failed', traces: checkoutTraces(50, 7, { errorShare: 0.6, slowFactor: 4, missingCacheEdge: true }) },
    { label: 'succeeded', traces: checkoutTraces(60, 8) },
  )
}

/** A finding sentence as the page shows it (backticks become <code>). */
const shown = (text: string) => text.replace(/`/g, '')

describe('HTML report, as text', () => {
  it('is self-contained: no script, no external resource, names escaped', async () => {
    const report = await plantedReport()
    const html = renderReportHtml(report, 'failed <vs> succeeded')
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i)
    expect(html).not.toMatch(/(src|href)=/i)
    expect(html).toContain('<title>failed &#60;vs&#62; succeeded</title>')
    const evil = await compareGroups({ traces: [handTrace([[1, 0, '<img src=x onerror=alert(1)>', 0, 10]])] }, { traces: [handTrace([[1, 0, 'ok', 0, 10]])] })
    expect(renderReportHtml(evil)).not.toContain('<img')
  })

  it('says plainly when nothing differs', async () => {
    const report = await compareGroups({ traces: checkoutTraces(20, 1) }, { traces: checkoutTraces(20, 2) })
    expect(renderReportHtml(report)).toContain('No feature differs between the groups')
  })
})

chromiumSkipNote('compare report in Chromium')

describe.skipIf(!hasChromium && !chromiumRequired)('HTML report in headless Chromium', () => {
  let browser: Browser
  let dir: string
  let report: CompareReport
  let url: string

  beforeAll(async () => {
    browser = await launchChromium()
    report = await plantedReport()
    dir = await mkdtemp(join(tmpdir(), 'compare-report-'))
    const file = join(dir, 'report.html')
    await writeFile(file, renderReportHtml(report))
    url = pathToFileURL(file).href
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('shows the top finding first and draws every chart, loading nothing but the file', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } })
    const requests: string[] = []
    page.on('request', (request) => requests.push(request.url()))
    await page.goto(url)
    const first = page.locator('ol.findings li.finding').first()
    await expect.poll(() => first.locator('.text').innerText()).toBe(shown(report.findings[0]!.text))
    expect(await page.locator('ol.findings li.finding').count()).toBe(report.findings.length)
    expect(await page.getByText(/payment: PaymentService\/Charge has status ERROR in \d+ of 50 traces of A/).count()).toBe(1)

    const charts = { prevalence: 'svg.chart.prevalence', duration: 'svg.chart.duration', criticalPath: 'svg.chart.critical-path' }
    expect(await page.locator(charts.duration).count()).toBe(report.durationHistograms.length)
    expect(await page.locator(charts.criticalPath).count()).toBe(1)
    expect(await page.locator(charts.prevalence).count()).toBeGreaterThan(10)
    for (const selector of Object.values(charts)) {
      const box = await page.locator(selector).first().boundingBox()
      expect(box?.width).toBeGreaterThan(100)
      expect(box?.height).toBeGreaterThan(20)
    }
    // Bars are drawn, not just empty frames: the slow operation's A share fills most of the A row.
    const aRowWidths = await page.locator(`${charts.criticalPath} rect`).evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('width'))))
    expect(Math.max(...aRowWidths)).toBeGreaterThan(200)
    expect(requests).toEqual([url])
    await page.close()
  })
})
