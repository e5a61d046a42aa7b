import { featureId, parseFeatureId } from './feature-keys.js'
import { MAX_TRACKED_VALUES, type GroupTally } from './group-tally.js'
import type { SkippedAttribute } from './report-types.js'

/**
 * Which attribute keys are compared value by value. A key whose values are mostly distinct (IDs,
 * timestamps, URLs with IDs in them) says nothing a group shares: each value sits in one trace, so no
 * value can be common to a group. Decided on both groups together by the distinct-value ratio
 * (distinct values / traces carrying the key), so the decision cannot itself depend on the grouping.
 */

/** Thresholds of the decision. */
export interface CardinalityRule {
  /** Skip a key whose distinct values per trace carrying it reach this (default 0.5). */
  ratio: number
  /** ... and that has more distinct values than this (default 10): a key with 3 values in 4 traces is kept. */
  minValues: number
}

/** Default thresholds. */
export const DEFAULT_CARDINALITY_RULE: CardinalityRule = { ratio: 0.5, minValues: 10 }

/** Attribute value features with their counts per group, and the keys skipped. */
export interface AttributeFeatures {
  counts: Map<string, { a: number; b: number }>
  skipped: SkippedAttribute[]
}

/** Split the attribute tallies of A and B into compared values and skipped keys. */
export function attributeFeatures(a: GroupTally, b: GroupTally, rule: CardinalityRule = DEFAULT_CARDINALITY_RULE): AttributeFeatures {
  const counts = new Map<string, { a: number; b: number }>()
  const skipped: SkippedAttribute[] = []
  for (const keyId of new Set([...a.attributes.keys(), ...b.attributes.keys()])) {
    const inA = a.attributes.get(keyId)
    const inB = b.attributes.get(keyId)
    const traces = (inA?.traces ?? 0) + (inB?.traces ?? 0)
    const capped = (inA !== undefined && inA.values === undefined) || (inB !== undefined && inB.values === undefined)
    const distinct = capped ? MAX_TRACKED_VALUES + 1 : new Set([...(inA?.values?.keys() ?? []), ...(inB?.values?.keys() ?? [])]).size
    const ratio = distinct / Math.max(1, traces)
    const { kind, subject: key } = parseFeatureId<'span-attribute' | 'resource-attribute'>(keyId)
    if (capped || (distinct > rule.minValues && ratio >= rule.ratio)) {
      skipped.push({
        scope: kind === 'span-attribute' ? 'span' : 'resource',
        key,
        distinctValues: distinct,
        traces,
        ratio,
        reason: capped ? `high cardinality, skipped: more than ${MAX_TRACKED_VALUES} distinct values` : `high cardinality, skipped: ${distinct} distinct values in ${traces} traces`,
      })
      continue
    }
    for (const [value, count] of inA?.values ?? []) counts.set(featureId(kind, key, value), { a: count, b: 0 })
    for (const [value, count] of inB?.values ?? []) {
      const id = featureId(kind, key, value)
      const entry = counts.get(id)
      if (entry) entry.b = count
      else counts.set(id, { a: 0, b: count })
    }
  }
  skipped.sort((x, y) => y.ratio - x.ratio || x.key.localeCompare(y.key))
  return { counts, skipped }
}
