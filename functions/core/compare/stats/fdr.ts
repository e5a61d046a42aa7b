import padjust from '@stdlib/stats-padjust'

/**
 * Benjamini-Hochberg q-values: the smallest false-discovery rate at which each test would be called a
 * discovery. Over every feature tested in one comparison, so "q < 0.05" bounds the expected share of
 * false findings among those reported, not the chance of any one being false.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  if (pValues.length === 0) return []
  return padjust([...pValues], 'bh')
}
