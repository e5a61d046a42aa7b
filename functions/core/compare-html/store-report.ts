import type { CompareReport } from '../compare/report-types.js'
import { joinKey } from '../storage/layout.js'
import type { ObjectStore } from '../storage/object-store.js'
import { renderReportHtml } from './render-report.js'

/** Where a stored report's two objects are. */
export interface StoredReport {
  jsonKey: string
  htmlKey: string
}

/** Write `report` as `report.json` and `report.html` under `base` in `store`. */
export async function storeCompareReport(store: ObjectStore, base: string, report: CompareReport, title?: string): Promise<StoredReport> {
  const jsonKey = joinKey(base, 'report.json')
  const htmlKey = joinKey(base, 'report.html')
  await store.put(jsonKey, new TextEncoder().encode(JSON.stringify(report, null, 1) + '\n'), { contentType: 'application/json' })
  await store.put(htmlKey, new TextEncoder().encode(renderReportHtml(report, title)), { contentType: 'text/html; charset=utf-8' })
  return { jsonKey, htmlKey }
}
