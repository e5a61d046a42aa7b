import type { ReadStats } from '../contract/types.js'

/** Statistics with every counter at zero. */
export function emptyStats(): ReadStats {
  return { blocksSearched: 0, bloomRejects: 0, requests: 0, bytesRead: 0, pagesDecoded: 0, rowsDecoded: 0, spans: 0, phaseMs: {} }
}

/** Add `more` into `into` (phase times summed). */
export function addStats(into: ReadStats, more: Partial<ReadStats>): ReadStats {
  into.blocksSearched += more.blocksSearched ?? 0
  into.bloomRejects += more.bloomRejects ?? 0
  into.requests += more.requests ?? 0
  into.bytesRead += more.bytesRead ?? 0
  into.pagesDecoded += more.pagesDecoded ?? 0
  into.rowsDecoded += more.rowsDecoded ?? 0
  into.spans += more.spans ?? 0
  for (const [phase, ms] of Object.entries(more.phaseMs ?? {})) into.phaseMs[phase] = round((into.phaseMs[phase] ?? 0) + ms)
  return into
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10
}
