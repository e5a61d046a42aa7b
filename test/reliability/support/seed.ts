import type { CaseTally } from './bad-requests.js'

/** The one seed of every property test of issue 11: failures replay exactly. */
export const SEED = 20_261_125

/** Print a property test's case count (the README's Reliability figures come from these lines). */
export function report(entryPoint: string, tally: CaseTally): void {
  console.log(`[reliability] ${entryPoint}: ${tally.describe()}`)
}
