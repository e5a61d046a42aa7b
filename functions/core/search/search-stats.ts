/** Phases of a block search, cheapest first. */
export type SearchPhase = 'bloom' | 'footer' | 'locate' | 'read' | 'convert'

/** What (part of) a block search cost. */
export interface BlockSearchStats {
  requests: number
  bytesRead: number
  pagesDecoded: number
  rowsDecoded: number
  bloomRejects: number
  phaseMs: Record<SearchPhase, number>
}

/** Stats of no work. */
export function emptySearchStats(): BlockSearchStats {
  return { requests: 0, bytesRead: 0, pagesDecoded: 0, rowsDecoded: 0, bloomRejects: 0, phaseMs: { bloom: 0, footer: 0, locate: 0, read: 0, convert: 0 } }
}

/** `a - b`, field by field (the work between two snapshots). */
export function subtractStats(a: BlockSearchStats, b: BlockSearchStats): BlockSearchStats {
  const phaseMs = { ...a.phaseMs }
  for (const phase of Object.keys(phaseMs) as SearchPhase[]) phaseMs[phase] -= b.phaseMs[phase]
  return {
    requests: a.requests - b.requests,
    bytesRead: a.bytesRead - b.bytesRead,
    pagesDecoded: a.pagesDecoded - b.pagesDecoded,
    rowsDecoded: a.rowsDecoded - b.rowsDecoded,
    bloomRejects: a.bloomRejects - b.bloomRejects,
    phaseMs,
  }
}

