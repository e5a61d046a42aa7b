/**
 * Tempo's time-window rule (spec §7.3): with both `start` and `end` (unix seconds) a block is searched
 * unless `meta.startTime.Unix() >= end || meta.endTime.Unix() <= start`; with either missing, always.
 */

const NS_PER_SECOND = 1_000_000_000n

/** Go's `time.Unix()` of a unix-nanosecond instant (floor division). */
export function unixSeconds(ns: bigint): number {
  const q = ns / NS_PER_SECOND
  return Number(ns < 0n && q * NS_PER_SECOND !== ns ? q - 1n : q)
}

/** True when a block with this time range passes the window (both bounds needed to filter). */
export function blockTimeInWindow(block: { startTimeUnixNano: bigint; endTimeUnixNano: bigint }, start?: number, end?: number): boolean {
  if (start === undefined || end === undefined) return true
  return !(unixSeconds(block.startTimeUnixNano) >= end || unixSeconds(block.endTimeUnixNano) <= start)
}
