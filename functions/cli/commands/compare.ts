import { writeFile } from 'node:fs/promises'
import { openObjectLocation, type ObjectLocation } from '../../adapters/object-location.js'
import { ObjectNotFoundError } from '../../core/contract/errors.js'
import { compareResults, fetchAndCompare } from '../../core/compare/compare-batches.js'
import type { CompareOptions } from '../../core/compare/compare-groups.js'
import type { CompareReport } from '../../core/compare/report-types.js'
import { renderReportHtml } from '../../core/compare-html/render-report.js'
import { optionalInteger, parseCommandArgs, readerThreads, readStoreArgs, storeOptions, ExitCode, UsageError } from '../args.js'
import { parseCommandLineRequest } from '../fetch-request.js'
import { checkOutputPath } from '../output-file.js'
import { checkStoreExists } from '../store-check.js'
import { checkedTraceIds, readIdsFile } from '../id-files.js'
import { createEmbeddedRuntime } from '../../adapters/embedded-runtime.js'

/** Usage of `tempo-batch compare`. */
export const compareUsage = `usage: tempo-batch compare --store <dir|s3://bucket[/prefix]> --tenant <id> --a <ids file> --b <ids file>
       [--start S --end E] [--html <file>] [--json <file|->] [--a-label L] [--b-label L] [--fdr Q]
       [--results <dir|s3://...>] [--endpoint <url>] [--prefix <p>] [--concurrency N] [--request-id <id>]
   or: tempo-batch compare --a-result <file|s3://bucket/key> --b-result <file|s3://bucket/key> [--html ...] [--json ...]`

/** `tempo-batch compare`: fetch two groups of traces (or read two results) and compare them; findings to stdout (exit 3 when a fetch was partial). */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    ...storeOptions,
    tenant: { type: 'string' },
    a: { type: 'string' },
    b: { type: 'string' },
    'a-result': { type: 'string' },
    'b-result': { type: 'string' },
    'a-label': { type: 'string' },
    'b-label': { type: 'string' },
    start: { type: 'string' },
    end: { type: 'string' },
    html: { type: 'string' },
    json: { type: 'string' },
    fdr: { type: 'string' },
    concurrency: { type: 'string' },
    'request-id': { type: 'string' },
  })
  // Where the reports go is checked before anything is read, as fetch checks --out.
  if (values.html !== undefined) await checkOutputPath(values.html, '--html')
  if (values.json !== undefined) await checkOutputPath(values.json, '--json')
  const options: CompareOptions = { fdr: parseFdr(values.fdr) }
  const labels = { a: values['a-label'] ?? 'A', b: values['b-label'] ?? 'B' }
  const fromResults = values['a-result'] !== undefined || values['b-result'] !== undefined
  let report: CompareReport
  let partial = false
  if (fromResults) {
    if (values.a !== undefined || values.b !== undefined) throw new UsageError('--a', 'give either --a/--b (ID files) or --a-result/--b-result, not both')
    const endpoint = values.endpoint ?? process.env.AWS_ENDPOINT_URL
    const open = (flag: '--a-result' | '--b-result', location: string | undefined) => {
      if (!location) throw new UsageError(flag, 'is required with the other --*-result')
      return openObjectLocation(location, endpoint ? { endpoint } : {})
    }
    const a = await open('--a-result', values['a-result'])
    const b = await open('--b-result', values['b-result'])
    await mustExist(a, '--a-result')
    await mustExist(b, '--b-result')
    report = await compareResults({ ...a, label: labels.a }, { ...b, label: labels.b }, options)
  } else {
    if (!values.a) throw new UsageError('--a', 'is required (a file of trace IDs, or use --a-result)')
    if (!values.b) throw new UsageError('--b', 'is required (a file of trace IDs, or use --b-result)')
    const storeArgs = readStoreArgs(values)
    if (values.tenant === undefined) throw new UsageError('--tenant', 'is required')
    const threads = readerThreads(values.concurrency)
    const window = { start: optionalInteger(values.start, '--start'), end: optionalInteger(values.end, '--end') }
    const base = values['request-id']
    const request = async (file: string, suffix: string) =>
      parseCommandLineRequest({ tenant: values.tenant, traceIds: checkedTraceIds(await readIdsFile(file)), ...window, ...(base !== undefined ? { requestId: `${base}-${suffix}` } : {}) })
    const requestA = await request(values.a, 'a')
    const requestB = await request(values.b, 'b')
    await checkStoreExists(storeArgs.store)
    if (threads.note) process.stderr.write(`tempo-batch compare: ${threads.note}\n`)
    const runtime = await createEmbeddedRuntime(storeArgs, { workers: threads.workers })
    try {
      const fetched = await fetchAndCompare(requestA, requestB, runtime.deps, { ...options, labels })
      report = fetched.report
      // Some block could not be read: the comparison stands on what was read, and says so by its exit code.
      partial = fetched.a.manifest.status === 'partial' || fetched.b.manifest.status === 'partial'
    } finally {
      await runtime.close()
    }
  }
  await writeOutputs(report, values.html, values.json, `Trace comparison: ${labels.a} vs ${labels.b}`)
  const { a, b } = report.groups
  process.stderr.write(`tempo-batch: compared ${a.traces} traces of ${a.label} with ${b.traces} of ${b.label}: ${report.tests} features tested, ${report.findings.length} findings at q < ${report.settings.fdr}\n`)
  return partial ? ExitCode.partial : ExitCode.ok
}

async function mustExist(location: ObjectLocation, flag: string): Promise<void> {
  try {
    await location.store.head(location.key)
  } catch (error) {
    if (error instanceof ObjectNotFoundError) throw new UsageError(flag, `${location.store.description}/${location.key} does not exist`)
    throw error
  }
}

async function writeOutputs(report: CompareReport, html: string | undefined, json: string | undefined, title: string): Promise<void> {
  if (html) await writeFile(html, renderReportHtml(report, title))
  const text = JSON.stringify(report, null, 1) + '\n'
  if (json === '-') process.stdout.write(text)
  else {
    if (json) await writeFile(json, text)
    const lines = report.findings.length === 0 ? ['no finding: no feature differs at the chosen false-discovery rate'] : report.findings.map((f, i) => `${i + 1}. ${f.text}`)
    process.stdout.write(lines.join('\n') + '\n')
  }
}

function parseFdr(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const fdr = Number(value)
  if (!/^(0?\.\d+|0|1)$/.test(value) || !(fdr > 0 && fdr < 1)) throw new UsageError('--fdr', `${JSON.stringify(value)} must be a number between 0 and 1 (exclusive)`)
  return fdr
}
