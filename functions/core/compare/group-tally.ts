import type { TraceFeatures } from './trace-features.js'

/**
 * The counts of one group: in how many of its traces each feature (and each attribute value) appears,
 * and every trace's value of each measure. Grows with distinct features, not with traces, apart from the
 * measure samples (one number per trace and measure), which the rank tests need whole.
 */

/** Most distinct values tracked per attribute key; a key with more is high-cardinality whatever its ratio. */
export const MAX_TRACKED_VALUES = 2000

/** What an attribute key looks like in one group. */
export interface AttributeTally {
  /** Traces with the key. */
  traces: number
  /** Traces per value; undefined once the key passed `MAX_TRACKED_VALUES` distinct values. */
  values: Map<string, number> | undefined
}

/** One group's counts. */
export class GroupTally {
  traces = 0
  readonly presence = new Map<string, number>()
  readonly attributes = new Map<string, AttributeTally>()
  readonly measures = new Map<string, number[]>()
  /** Milliseconds on the critical path per operation, summed over traces. */
  readonly criticalPathMs = new Map<string, number>()
  /** Sum of the traces' critical path lengths (= their root durations). */
  criticalPathTotalMs = 0

  /** Count one trace. */
  add(features: TraceFeatures): void {
    this.traces++
    for (const id of features.presence) this.presence.set(id, (this.presence.get(id) ?? 0) + 1)
    for (const [id, values] of features.attributes) {
      let tally = this.attributes.get(id)
      if (!tally) this.attributes.set(id, (tally = { traces: 0, values: new Map() }))
      tally.traces++
      if (!tally.values) continue
      for (const value of values) tally.values.set(value, (tally.values.get(value) ?? 0) + 1)
      // Past the cap the key is an ID-like one: stop paying memory for it.
      if (tally.values.size > MAX_TRACKED_VALUES) tally.values = undefined
    }
    for (const [id, value] of features.measures) {
      let sample = this.measures.get(id)
      if (!sample) this.measures.set(id, (sample = []))
      sample.push(value)
    }
    for (const [operation, ms] of features.criticalPath) {
      this.criticalPathMs.set(operation, (this.criticalPathMs.get(operation) ?? 0) + ms)
      this.criticalPathTotalMs += ms
    }
  }
}
