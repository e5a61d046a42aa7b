import { createWriteStream } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { once } from 'node:events'
import { parseArgs } from 'node:util'
import { runBatch } from '../../core/batch/coordinator.js'
import { ndjsonLines } from '../../core/results/ndjson.js'
import { parseBatchRequest } from '../../core/contract/request.js'
import { readObjectChunks } from '../../core/storage/read-stream.js'
import { optionalInteger, readIdsFile, readStoreArgs, storeOptions, ExitCode, UsageError } from '../args.js'
import { createEmbeddedRuntime } from '../embedded.js'
import { createProgress } from '../progress.js'
import { readResultLines } from '../../core/results/result-lines.js'
import { checkSpansParquetOut, SPANS_PARQUET_FORMAT, writeSpansParquetFile } from '../spans-parquet-output.js'

/** Usage of `tempo-batch fetch`. */
export const fetchUsage = `usage: tempo-batch fetch --store <dir|s3://bucket[/prefix]> --tenant <id> (--ids <file|-> | --id <hex> ...)
       [--start S --end E] [--max-bytes-per-trace N] [--out <file|->] [--stats <file>] [--concurrency N]
       [--results <dir|s3://...>] [--endpoint <url>] [--prefix <p>] [--request-id <id>] [--format ndjson|spans-parquet]`

/** `tempo-batch fetch`: one batch through the embedded coordinator; NDJSON to --out, manifest to --stats. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...storeOptions,
      tenant: { type: 'string' },
      ids: { type: 'string', multiple: true },
      id: { type: 'string', multiple: true },
      start: { type: 'string' },
      end: { type: 'string' },
      'max-bytes-per-trace': { type: 'string' },
      out: { type: 'string' },
      stats: { type: 'string' },
      concurrency: { type: 'string' },
      'request-id': { type: 'string' },
      format: { type: 'string' },
    },
    strict: true,
  })
  const storeArgs = readStoreArgs(values)
  const traceIds = [...(values.id ?? [])]
  for (const file of values.ids ?? []) traceIds.push(...(await readIdsFile(file)))
  if (traceIds.length === 0) throw new UsageError('--ids', 'give --ids <file|-> or at least one --id <hex>')
  const format = values.format ?? 'ndjson'
  if (format !== 'ndjson' && format !== SPANS_PARQUET_FORMAT) throw new UsageError('--format', `${JSON.stringify(format)} is not one of ndjson, ${SPANS_PARQUET_FORMAT}`)
  const parquetOut = format === SPANS_PARQUET_FORMAT ? checkSpansParquetOut(values.out) : undefined
  const maxBytes = optionalInteger(values['max-bytes-per-trace'], '--max-bytes-per-trace')
  const request = parseBatchRequest({
    tenant: values.tenant,
    traceIds,
    start: optionalInteger(values.start, '--start'),
    end: optionalInteger(values.end, '--end'),
    ...(values['request-id'] !== undefined ? { requestId: values['request-id'] } : {}),
    ...(maxBytes !== undefined ? { maxBytesPerTrace: maxBytes } : {}),
  })
  const workers = optionalInteger(values.concurrency, '--concurrency')
  const runtime = await createEmbeddedRuntime(storeArgs, workers ? { workers } : {})
  const progress = await createProgress('shards')
  try {
    const outcome = await runBatch(request, { ...runtime.deps, onProgress: (p) => progress.update(p.shardsDone, p.shards) })
    progress.stop()
    if (parquetOut !== undefined) await writeSpansParquetFile(readResultLines(runtime.deps.resultStore, outcome.manifest.resultKey), parquetOut)
    else await writeLines(ndjsonLines(readObjectChunks(runtime.deps.resultStore, outcome.manifest.resultKey)), values.out ?? '-')
    if (values.stats) await writeFile(values.stats, JSON.stringify(outcome.manifest, null, 2) + '\n')
    const c = outcome.manifest.counts
    process.stderr.write(
      `tempo-batch: ${c.requested} requested: ${c.found} found, ${c.not_found} not found, ${c.partial} partial, ${c.too_large} too large${outcome.reused ? ' (reused)' : ''}; result ${outcome.manifest.location}\n`,
    )
    return outcome.manifest.status === 'complete' ? ExitCode.ok : ExitCode.partial
  } finally {
    progress.stop()
    await runtime.close()
  }
}

async function writeLines(lines: AsyncIterable<string>, out: string): Promise<void> {
  const stream = out === '-' ? process.stdout : createWriteStream(out)
  for await (const line of lines) if (!stream.write(line + '\n')) await once(stream, 'drain')
  if (stream !== process.stdout) {
    const closed = once(stream, 'close')
    stream.end()
    await closed
  }
}
