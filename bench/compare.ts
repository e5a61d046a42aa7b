import { gzipSync } from 'node:zlib'
import { compareResults } from '../functions/core/compare/compare-batches.js'
import type { CompareReport } from '../functions/core/compare/report-types.js'
import { renderReportHtml } from '../functions/core/compare-html/render-report.js'
import { spansParquetBytes } from '../functions/core/export/spans-parquet.js'
import { traceToJson } from '../functions/core/otlp/json.js'
import type { Trace } from '../functions/core/otlp/model.js'
import { readResultLines, formatResultLine } from '../functions/core/results/result-lines.js'
import { MemoryStore } from '../functions/core/storage/memory-store.js'
import { checkoutTraces } from '../functions/generator/synth/planted-groups.js'
import { synthesizeTrace } from '../functions/generator/synth/trace-synth.js'

/**
 * `npm run bench:compare`: two groups of 1,000 traces compared once fetched (issue 10's target: under
 * 10 s on the shared 2-core machine). The groups are gzipped NDJSON results in a memory store, as a
 * batch leaves them, so the timing covers reading, JSON parsing, features, critical paths, statistics
 * and findings; the HTML page and the spans-parquet export of both groups are timed apart. Prints a table.
 */

const TARGET_SECONDS = 10
const traces = Number(process.argv.find((a) => a.startsWith('--traces='))?.slice('--traces='.length) ?? 1000)

interface Row {
  data: string
  spans: number
  tests: number
  findings: number
  compareS: number
  htmlMs: number
  parquetS: number
}

function spanCount(list: Trace[]): number {
  return list.reduce((n, t) => n + (t.resourceSpans ?? []).reduce((m, rs) => m + (rs.scopeSpans ?? []).reduce((k, ss) => k + (ss.spans?.length ?? 0), 0), 0), 0)
}

async function storeResult(store: MemoryStore, key: string, list: Trace[]): Promise<void> {
  const lines = list.map((t, i) => formatResultLine({ traceId: i.toString(16).padStart(32, '0'), status: 'found' }, traceToJson(t)))
  await store.put(key, gzipSync(lines.join('\n') + '\n'))
}

async function measure(data: string, a: Trace[], b: Trace[]): Promise<Row> {
  const store = new MemoryStore()
  await storeResult(store, 'a/result.ndjson.gz', a)
  await storeResult(store, 'b/result.ndjson.gz', b)
  globalThis.gc?.()
  let started = performance.now()
  const report: CompareReport = await compareResults({ store, key: 'a/result.ndjson.gz', label: 'A' }, { store, key: 'b/result.ndjson.gz', label: 'B' })
  const compareS = (performance.now() - started) / 1000
  started = performance.now()
  renderReportHtml(report)
  const htmlMs = performance.now() - started
  started = performance.now()
  await spansParquetBytes(readResultLines(store, 'a/result.ndjson.gz'))
  await spansParquetBytes(readResultLines(store, 'b/result.ndjson.gz'))
  const parquetS = (performance.now() - started) / 1000
  return { data, spans: spanCount(a) + spanCount(b), tests: report.tests, findings: report.findings.length, compareS, htmlMs, parquetS }
}

const window = { startNanos: 1_768_471_200_000_000_000n, windowNanos: 3_600_000_000_000n }
const rows: Row[] = []
rows.push(await measure('checkout, 4 causes planted', checkoutTraces(traces, 1, { errorShare: 0.3, attributeShare: 0.3, slowFactor: 3, missingCacheEdge: true }), checkoutTraces(traces, 2)))
rows.push(await measure('shop generator (5-500 spans)', Array.from({ length: traces }, (_, i) => synthesizeTrace(i, window).trace), Array.from({ length: traces }, (_, i) => synthesizeTrace(100_000 + i, window).trace)))

const rss = Math.round(process.resourceUsage().maxRSS / 1024)
console.log(`| data (2 x ${traces.toLocaleString('en')} traces) | spans | features tested | findings | compare s | HTML ms | spans-parquet s (both) |`)
console.log('|---|--:|--:|--:|--:|--:|--:|')
for (const r of rows) console.log(`| ${r.data} | ${r.spans.toLocaleString('en')} | ${r.tests.toLocaleString('en')} | ${r.findings} | ${r.compareS.toFixed(2)} | ${Math.round(r.htmlMs)} | ${r.parquetS.toFixed(2)} |`)
console.log('')
const worst = Math.max(...rows.map((r) => r.compareS))
console.log(`target: 2 x ${traces.toLocaleString('en')} traces compared in < ${TARGET_SECONDS} s once fetched: ${worst < TARGET_SECONDS ? 'PASS' : 'MISS'} (slowest ${worst.toFixed(2)} s); peak RSS of the run ${rss} MB`)
