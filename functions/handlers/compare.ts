import type { Context } from 'aws-lambda'
import { S3Store } from '../adapters/s3-store.js'
import { compareResults } from '../core/compare/compare-batches.js'
import { storeCompareReport } from '../core/compare-html/store-report.js'
import { exportSpansParquet } from '../core/export/spans-parquet.js'
import { joinKey } from '../core/storage/layout.js'
import { readResultStoreConfig } from '../config/read-config.js'
import { logger } from './shared/observability.js'
import { parseCompareTask } from './shared/compare-task.js'
import { lazy, s3Url } from './shared/runtime.js'

const config = lazy(() => readResultStoreConfig())
const store = lazy(() => S3Store.fromUrl(s3Url(config().resultBucket, '')))

/** What the compare step hands on: where the report is and its headline, never the report itself. */
export interface CompareTaskOutput {
  reportKey: string
  reportLocation: string
  htmlKey: string
  htmlLocation: string
  tests: number
  findings: number
  /** The first three findings in words. */
  topFindings: string[]
  /** Each group's spans table, when asked for (`spansParquet: true`). */
  spansParquetKeys?: { a: string; b: string }
}

/**
 * Step Functions compare step (end of the two-groups machine): streams both fetched results from the
 * result bucket, compares them and writes `report.json` and `report.html` under the tenant's results (and, when asked,
 * each group's spans as `spans.parquet` beside its result, for Athena and friends).
 */
export const handler = async (event: unknown, context: Context): Promise<CompareTaskOutput> => {
  logger.addContext(context)
  const task = parseCompareTask(event, config().resultPrefix)
  const group = (g: typeof task.groupA) => ({ store: store(), key: g.resultKey, ...(g.label !== undefined ? { label: g.label } : {}) })
  const report = await compareResults(group(task.groupA), group(task.groupB), task.fdr !== undefined ? { fdr: task.fdr } : {})
  const stored = await storeCompareReport(store(), joinKey(config().resultPrefix, task.tenant, task.reportId), report, `Trace comparison: ${report.groups.a.label} vs ${report.groups.b.label}`)
  const location = (key: string) => `${store().description.replace(/\/$/, '')}/${key}`
  const spansParquetKeys = task.spansParquet
    ? { a: (await exportSpansParquet(store(), task.groupA.resultKey)).key, b: (await exportSpansParquet(store(), task.groupB.resultKey)).key }
    : undefined
  logger.info('comparison written', { reportKey: stored.jsonKey, tests: report.tests, findings: report.findings.length, tracesA: report.groups.a.traces, tracesB: report.groups.b.traces })
  return {
    reportKey: stored.jsonKey,
    reportLocation: location(stored.jsonKey),
    htmlKey: stored.htmlKey,
    htmlLocation: location(stored.htmlKey),
    tests: report.tests,
    findings: report.findings.length,
    topFindings: report.findings.slice(0, 3).map((f) => f.text),
    ...(spansParquetKeys ? { spansParquetKeys } : {}),
  }
}
