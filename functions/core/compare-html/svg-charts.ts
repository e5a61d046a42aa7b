import type { CriticalPathEntry, DurationHistogram } from '../compare/report-types.js'
import { escapeHtml, formatMs, formatShare } from './html-text.js'

/**
 * The report's charts as inline SVG (no script, no external resource): prevalence bars, duration
 * histograms and the critical path per group as stacked bars. Colours: A red, B blue.
 */

/** Group colours. */
export const COLOURS = { a: '#c0392b', b: '#2e6da4' } as const
const PALETTE = ['#8e44ad', '#e67e22', '#16a085', '#c0392b', '#2e6da4', '#d4ac0d', '#7f8c8d', '#27ae60', '#e84393', '#34495e']

/** Two horizontal bars (A over B) of a feature's prevalence, with their labels. */
export function prevalenceBars(prevalenceA: number, prevalenceB: number, width = 220): string {
  const bar = (y: number, share: number, colour: string, label: string) =>
    `<rect x="24" y="${y}" width="${(width - 70) * share}" height="9" fill="${colour}"><title>${label} ${formatShare(share)}</title></rect>` +
    `<text x="0" y="${y + 8}" class="axis">${label}</text><text x="${28 + (width - 70) * share}" y="${y + 8}" class="axis">${formatShare(share)}</text>`
  return `<svg class="chart prevalence" role="img" aria-label="prevalence A ${formatShare(prevalenceA)}, B ${formatShare(prevalenceB)}" width="${width}" height="26" viewBox="0 0 ${width} 26">` +
    `<rect x="24" y="1" width="${width - 70}" height="9" class="track"/><rect x="24" y="14" width="${width - 70}" height="9" class="track"/>` +
    bar(1, prevalenceA, COLOURS.a, 'A') + bar(14, prevalenceB, COLOURS.b, 'B') + '</svg>'
}

/** One operation's duration histograms, A and B mirrored around a shared log-scaled axis. */
export function durationChart(h: DurationHistogram, width = 460, height = 150): string {
  const bins = h.a.length
  const plotW = width - 20
  const half = (height - 30) / 2
  const max = Math.max(1e-9, ...h.a.map((c) => c / total(h.a)), ...h.b.map((c) => c / total(h.b)))
  const scale = (share: number) => (share / max) * (half - 4)
  const bw = plotW / bins
  let bars = ''
  for (let i = 0; i < bins; i++) {
    const x = 10 + i * bw
    const ha = scale(h.a[i]! / total(h.a))
    const hb = scale(h.b[i]! / total(h.b))
    const range = `${formatMs(h.edgesMs[i]!)}–${formatMs(h.edgesMs[i + 1]!)}`
    if (ha > 0) bars += `<rect x="${x.toFixed(1)}" y="${(half - ha).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${ha.toFixed(1)}" fill="${COLOURS.a}"><title>A ${range}: ${h.a[i]} traces</title></rect>`
    if (hb > 0) bars += `<rect x="${x.toFixed(1)}" y="${half + 2}" width="${(bw - 1).toFixed(1)}" height="${hb.toFixed(1)}" fill="${COLOURS.b}"><title>B ${range}: ${h.b[i]} traces</title></rect>`
  }
  const ticks = [0, Math.floor(bins / 2), bins].map((i) => {
    const x = 10 + i * bw
    return `<text x="${x.toFixed(1)}" y="${height - 4}" class="axis" text-anchor="${i === 0 ? 'start' : i === bins ? 'end' : 'middle'}">${formatMs(h.edgesMs[i]!)}</text>`
  })
  return `<svg class="chart duration" role="img" aria-label="duration distribution of ${escapeHtml(h.operation)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<text x="${width - 10}" y="12" class="axis" text-anchor="end" fill="${COLOURS.a}">A</text><text x="${width - 10}" y="${half + 14}" class="axis" text-anchor="end" fill="${COLOURS.b}">B</text>` +
    bars + `<line x1="10" x2="${width - 10}" y1="${half + 1}" y2="${half + 1}" class="baseline"/>` + ticks.join('') + '</svg>'
}

/** The aggregated critical path of both groups: one stacked bar each, the `top` operations coloured, the rest grey. */
export function criticalPathChart(a: CriticalPathEntry[], b: CriticalPathEntry[], top = 8, width = 760): string {
  const operations = [...new Set([...a, ...b].sort((x, y) => y.meanShare - x.meanShare).map((e) => e.operation))].slice(0, top)
  const colour = (operation: string) => PALETTE[operations.indexOf(operation) % PALETTE.length] ?? '#bbb'
  const plotW = width - 40
  const row = (entries: CriticalPathEntry[], y: number, label: string) => {
    let x = 40
    let out = `<text x="0" y="${y + 17}" class="label">${label}</text>`
    for (const e of entries) {
      const w = e.meanShare * plotW
      if (w <= 0) continue
      const fill = operations.includes(e.operation) ? colour(e.operation) : '#c8c8c8'
      out += `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="26" fill="${fill}" stroke="#fff" stroke-width="0.5"><title>${escapeHtml(e.operation)}: ${formatShare(e.meanShare)}</title></rect>`
      if (w > 46) out += `<text x="${(x + 4).toFixed(1)}" y="${y + 17}" class="inbar">${formatShare(e.meanShare)}</text>`
      x += w
    }
    return out
  }
  const legend = operations.map((op, i) => `<g transform="translate(${40 + (i % 2) * (plotW / 2)},${78 + Math.floor(i / 2) * 16})"><rect width="10" height="10" fill="${colour(op)}"/><text x="14" y="9" class="axis">${escapeHtml(op)}</text></g>`).join('')
  const height = 84 + Math.ceil(operations.length / 2) * 16
  return `<svg class="chart critical-path" role="img" aria-label="critical path per group" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    row(a, 4, 'A') + row(b, 38, 'B') + legend + '</svg>'
}

function total(counts: number[]): number {
  return Math.max(1, counts.reduce((s, c) => s + c, 0))
}
