import { runBatch, type BatchOutcome, type CoordinatorDeps } from '../batch/coordinator.js'
import type { BatchRequest } from '../contract/types.js'
import { readResultLines } from '../results/result-lines.js'
import type { ObjectStore } from '../storage/object-store.js'
import { compareGroups, type CompareOptions } from './compare-groups.js'
import { tracesOfResult } from './group-source.js'
import type { CompareReport } from './report-types.js'

/**
 * The comparison on top of the batch path: two results already in a store (streamed line by line), or
 * two ID lists fetched on the spot and then compared.
 */

/** One group's result object (each group may sit in a store of its own). */
export interface ResultGroup {
  store: ObjectStore
  key: string
  label?: string
}

/** Compare two batch results (NDJSON, gzipped or not), streamed line by line. */
export async function compareResults(a: ResultGroup, b: ResultGroup, options: CompareOptions = {}): Promise<CompareReport> {
  const source = (group: ResultGroup) => {
    const lines: Record<string, number> = {}
    return { lines, traces: tracesOfResult(readResultLines(group.store, group.key), lines), ...(group.label !== undefined ? { label: group.label } : {}) }
  }
  return compareGroups(source(a), source(b), options)
}

/** What `fetchAndCompare` did. */
export interface FetchedComparison {
  report: CompareReport
  a: BatchOutcome
  b: BatchOutcome
}

/** Fetch both groups' traces (one batch each, one after the other on the same readers), then compare the results. */
export async function fetchAndCompare(a: BatchRequest, b: BatchRequest, deps: CoordinatorDeps, options: CompareOptions & { labels?: { a?: string; b?: string } } = {}): Promise<FetchedComparison> {
  const outcomeA = await runBatch(a, deps)
  const outcomeB = await runBatch(b, deps)
  const group = (outcome: BatchOutcome, label: string | undefined): ResultGroup => ({ store: deps.resultStore, key: outcome.manifest.resultKey, ...(label !== undefined ? { label } : {}) })
  const report = await compareResults(group(outcomeA, options.labels?.a), group(outcomeB, options.labels?.b), options)
  return { report, a: outcomeA, b: outcomeB }
}
