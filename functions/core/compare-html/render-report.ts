import { PRESENCE_KINDS } from '../compare/feature-keys.js'
import type { CompareReport, GroupSummary, MeasureStat, PresenceStat } from '../compare/report-types.js'
import { escapeHtml, formatMs, formatP, formatShare, sentenceHtml } from './html-text.js'
import { COLOURS, criticalPathChart, durationChart, prevalenceBars } from './svg-charts.js'
import { REPORT_CSS } from './report-css.js'

/**
 * The comparison report as one self-contained HTML page: inline CSS and SVG, no script and no external
 * resource, so it opens offline and can be mailed or attached to a ticket.
 */

/** Rows of the presence table. */
const PRESENCE_ROWS = 40

/** Render `report` as an HTML page. */
export function renderReportHtml(report: CompareReport, title = 'Trace comparison'): string {
  const { a, b } = report.groups
  const body = [
    `<header><h1>${escapeHtml(title)}</h1><p class="groups">${groupLine('A', a, COLOURS.a)} <span class="vs">vs</span> ${groupLine('B', b, COLOURS.b)}</p>`,
    `<p class="meta">${report.tests} features tested · Benjamini-Hochberg false-discovery rate ${report.settings.fdr} · Fisher's exact test for presence, Mann-Whitney U for durations and shares</p></header>`,
    findingsSection(report),
    criticalPathSection(report),
    durationsSection(report),
    presenceSection(report),
    edgesSection(report),
    skippedSection(report),
    '<footer>tempo-batch compare · every feature and its statistics are in the JSON report</footer>',
  ]
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head><body><main>${body.join('\n')}</main></body></html>\n`
}

function groupLine(letter: 'A' | 'B', g: GroupSummary, colour: string): string {
  const missing = g.lines.not_found ? `, ${g.lines.not_found} not found` : ''
  const name = g.label === letter ? letter : `${letter} = ${escapeHtml(g.label)}`
  return `<span class="group" style="border-color:${colour}"><b style="color:${colour}">${name}</b> ${g.traces} traces${missing} · p50 ${formatMs(g.durationMs.p50)} · p95 ${formatMs(g.durationMs.p95)}</span>`
}

/** Kind names as the page shows them. */
const KIND_LABELS: Record<string, string> = {
  'critical-path-share': 'critical path',
  'call-edge': 'call edge',
  'span-attribute': 'span attribute',
  'resource-attribute': 'resource attribute',
  'error-message': 'error message',
  'root-operation': 'root operation',
  'span-kind': 'span kind',
  'self-time': 'self time',
  'span-count': 'span count',
  'trace-duration': 'trace duration',
}

function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind
}

function findingsSection(report: CompareReport): string {
  if (report.findings.length === 0) {
    return `<section id="findings"><h2>Findings</h2><p class="none">No feature differs between the groups at a false-discovery rate of ${report.settings.fdr}. That is not proof that they are alike: small groups only reveal large differences.</p></section>`
  }
  const byId = new Map<string, PresenceStat | MeasureStat>([...report.presence, ...report.measures].map((s) => [s.id, s]))
  const items = report.findings.map((f) => {
    const stat = byId.get(f.id)
    const chart = stat && 'prevalenceA' in stat ? prevalenceBars(stat.prevalenceA, stat.prevalenceB) : stat ? measureBadge(stat) : ''
    return `<li class="finding"><span class="kind">${escapeHtml(kindLabel(f.kind))}</span><span class="text">${sentenceHtml(f.text)}</span>${chart}</li>`
  })
  return `<section id="findings"><h2>Findings</h2><p class="hint">Strongest first. More common in <b style="color:${COLOURS.a}">A</b> or in <b style="color:${COLOURS.b}">B</b>, as the bars show.</p><ol class="findings">${items.join('')}</ol></section>`
}

function measureBadge(stat: MeasureStat): string {
  if (stat.kind === 'critical-path-share') return `<span class="badge">mean ${formatShare(stat.a.mean)} vs ${formatShare(stat.b.mean)}</span>`
  if (stat.kind === 'span-count') return `<span class="badge">p50 ${stat.a.p50} vs ${stat.b.p50}</span>`
  return `<span class="badge">p50 ${formatMs(stat.a.p50)} vs ${formatMs(stat.b.p50)}</span>`
}

function criticalPathSection(report: CompareReport): string {
  const rows = [...new Set([...report.criticalPath.a.slice(0, 10), ...report.criticalPath.b.slice(0, 10)].map((e) => e.operation))]
  const share = (list: typeof report.criticalPath.a, op: string) => list.find((e) => e.operation === op)?.meanShare ?? 0
  const table = rows
    .map((op) => `<tr><td><code>${escapeHtml(op)}</code></td><td class="num">${formatShare(share(report.criticalPath.a, op))}</td><td class="num">${formatShare(share(report.criticalPath.b, op))}</td></tr>`)
    .join('')
  return `<section id="critical-path"><h2>Critical path</h2><p class="hint">Share of each trace's end-to-end time that an operation holds on its critical path, averaged per group.</p>${criticalPathChart(report.criticalPath.a, report.criticalPath.b)}` +
    `<table><thead><tr><th>operation</th><th class="num">A</th><th class="num">B</th></tr></thead><tbody>${table}</tbody></table></section>`
}

function durationsSection(report: CompareReport): string {
  if (report.durationHistograms.length === 0) return ''
  const stats = new Map(report.measures.filter((s) => s.kind === 'duration').map((s) => [s.subject, s]))
  const charts = report.durationHistograms.map((h) => {
    const s = stats.get(h.operation)
    const caption = s ? `p50 ${formatMs(s.a.p50)} vs ${formatMs(s.b.p50)} · p95 ${formatMs(s.a.p95)} vs ${formatMs(s.b.p95)} · q ${formatP(s.q)}` : ''
    return `<figure><figcaption><code>${escapeHtml(h.operation)}</code><br><span class="hint">${caption}</span></figcaption>${durationChart(h)}</figure>`
  })
  return `<section id="durations"><h2>Durations of the top operations</h2><p class="hint">Mean span duration per trace, A above the line and B below, log scale.</p><div class="grid">${charts.join('')}</div></section>`
}

function presenceSection(report: CompareReport): string {
  const order = new Map(PRESENCE_KINDS.map((k, i) => [k, i]))
  const rows = [...report.presence]
    .sort((x, y) => x.q - y.q || (order.get(x.kind) ?? 0) - (order.get(y.kind) ?? 0) || x.rank - y.rank)
    .slice(0, PRESENCE_ROWS)
    .map((s) => `<tr><td>${escapeHtml(kindLabel(s.kind))}</td><td><code>${escapeHtml(s.subject)}${s.value !== undefined ? ` → ${escapeHtml(s.value)}` : ''}</code></td><td class="num">${s.a}</td><td class="num">${s.b}</td><td>${prevalenceBars(s.prevalenceA, s.prevalenceB, 180)}</td><td class="num">${s.logOddsRatio.toFixed(2)}</td><td class="num">${formatP(s.p)}</td><td class="num">${formatP(s.q)}</td></tr>`)
  return `<section id="prevalence"><h2>Prevalence per group</h2><p class="hint">The ${Math.min(PRESENCE_ROWS, report.presence.length)} presence features with the lowest q of ${report.presence.length}; traces with the feature in A and B.</p>` +
    `<table><thead><tr><th>kind</th><th>feature</th><th class="num">A</th><th class="num">B</th><th>prevalence</th><th class="num">log OR</th><th class="num">p</th><th class="num">q</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`
}

function edgesSection(report: CompareReport): string {
  const edges = report.presence.filter((s) => s.kind === 'call-edge' && (s.q < report.settings.fdr || s.a === 0 || s.b === 0)).slice(0, 30)
  if (edges.length === 0) return `<section id="edges"><h2>Call edges that differ</h2><p class="none">None.</p></section>`
  const rows = edges.map((s) => {
    const only = s.a === 0 ? '<span class="only b">only in B</span>' : s.b === 0 ? '<span class="only a">only in A</span>' : ''
    return `<tr><td><code>${escapeHtml(s.subject)}</code> → <code>${escapeHtml(s.value ?? '')}</code> ${only}</td><td class="num">${s.a}</td><td class="num">${s.b}</td><td class="num">${formatP(s.q)}</td></tr>`
  })
  return `<section id="edges"><h2>Call edges that differ</h2><table><thead><tr><th>parent → child</th><th class="num">A</th><th class="num">B</th><th class="num">q</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`
}

function skippedSection(report: CompareReport): string {
  if (report.skippedAttributes.length === 0) return ''
  const items = report.skippedAttributes.map((s) => `<li><code>${escapeHtml(s.key)}</code> (${s.scope}): ${escapeHtml(s.reason)}</li>`)
  return `<section id="skipped"><h2>Attributes not compared</h2><ul>${items.join('')}</ul></section>`
}
