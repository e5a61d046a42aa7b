import type { ServerResponse } from 'node:http'
import type { CoordinatorDeps } from '../core/batch/coordinator.js'
import { fetchAndCompare } from '../core/compare/compare-batches.js'
import { parseCompareRequest } from '../core/compare/compare-request.js'
import { renderReportHtml } from '../core/compare-html/render-report.js'
import type { ParseRequestOptions } from '../core/contract/request.js'
import { sendJson } from './http-send.js'

/**
 * `POST /v1/compare`: fetch two groups of trace IDs and compare them. Answers the JSON report with
 * where both fetched results lie, or the HTML page when the client asks for `text/html` (or `?format=html`).
 */
export async function answerCompare(
  res: ServerResponse,
  body: unknown,
  wantsHtml: boolean,
  deps: CoordinatorDeps,
  options: ParseRequestOptions = {},
  admit: <T>(ids: number, work: () => Promise<T>) => Promise<T> = (_ids, work) => work(),
): Promise<void> {
  const request = parseCompareRequest(body, options)
  const ids = request.a.traces.length + request.b.traces.length
  const { report, a, b } = await admit(ids, () => fetchAndCompare(request.a, request.b, deps, { labels: request.labels, ...(request.fdr !== undefined ? { fdr: request.fdr } : {}) }))
  if (wantsHtml) {
    res.statusCode = 200
    res.setHeader('content-type', 'text/html; charset=utf-8')
    res.end(renderReportHtml(report, `Trace comparison: ${request.labels.a} vs ${request.labels.b}`))
    return
  }
  const summary = (outcome: typeof a) => ({ requestId: outcome.manifest.requestId, status: outcome.manifest.status, counts: outcome.manifest.counts, location: outcome.manifest.location, reused: outcome.reused })
  sendJson(res, 200, { report, groupA: summary(a), groupB: summary(b) })
}
