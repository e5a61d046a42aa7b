/** Text into HTML: escaping, and the findings' `backticks` as <code>. */

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** A finding sentence as HTML: escaped, with `...` spans as <code>. */
export function sentenceHtml(text: string): string {
  return escapeHtml(text).replace(/`([^`]*)`/g, '<code>$1</code>')
}

/** Milliseconds for people: 0.42 ms, 31 ms, 1.25 s. */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return '–'
  if (value >= 1000) return `${(value / 1000).toPrecision(3)} s`
  return `${value >= 10 ? Math.round(value) : value.toPrecision(2)} ms`
}

/** A share as a percentage. */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`
}

/** A p- or q-value in scientific notation below 0.001. */
export function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toPrecision(2)
}
