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
import { OUTPUT_FORMATS, outputFormat, resultRecords, type OutputFormat } from '../../core/output/registry.js'

/** Usage of `tempo-batch fetch`. */
export const fetchUsage = `usage: tempo-batch fetch --store <dir|s3://bucket[/prefix]> --tenant <id> (--ids <file|-> | --id <hex> ...)
       [--start S --end E] [--max-bytes-per-trace N] [--out <file|->] [--stats <file>] [--concurrency N]
       [--results <dir|s3://...>] [--endpoint <url>] [--prefix <p>] [--request-id <id>]
       [--format ${OUTPUT_FORMATS.map((f) => f.name).join('|')}]

output formats (--format, written to --out):
${OUTPUT_FORMATS.map((f) => `  ${f.name.padEnd(12)} ${f.description}`).join('\n')}`

/** `tempo-batch fetch`: one batch through the embedded coordinator; results to --out in --format, manifest to --stats. */
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
  const format = outputFormat(values.format ?? OUTPUT_FORMATS[0]!.name, '--format')
  const out = values.out ?? '-'
  // Checked before fetching: a batch should not run only to find it has nowhere to go.
  if (format.output === 'file' && out === '-') throw new UsageError('--out', `--format ${format.name} writes a file: give --out <file>`)
  if (format.output === 'binary' && out === '-' && process.stdout.isTTY) throw new UsageError('--out', `--format ${format.name} is binary: give --out <file> or redirect stdout`)
  const traceIds = [...(values.id ?? [])]
  for (const file of values.ids ?? []) traceIds.push(...(await readIdsFile(file)))
  if (traceIds.length === 0) throw new UsageError('--ids', 'give --ids <file|-> or at least one --id <hex>')
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
  const runtime = createEmbeddedRuntime(storeArgs, workers ? { workers } : {})
  const progress = createProgress('shards')
  try {
    const outcome = await runBatch(request, { ...runtime.deps, onProgress: (p) => progress.update(p.shardsDone, p.shards) })
    progress.stop()
    await writeResult(ndjsonLines(readObjectChunks(runtime.deps.resultStore, outcome.manifest.resultKey)), format, out)
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

async function writeResult(lines: AsyncIterable<string>, format: OutputFormat, out: string): Promise<void> {
  if (format.output === 'file') return format.write(resultRecords(lines), { path: out, sink: { write: async () => undefined } })
  const stream = out === '-' ? process.stdout : createWriteStream(out)
  const sink = {
    async write(chunk: string | Uint8Array) {
      if (!stream.write(chunk)) await once(stream, 'drain')
    },
  }
  await format.write(resultRecords(lines), { path: out, sink })
  if (stream !== process.stdout) {
    const closed = once(stream, 'close')
    stream.end()
    await closed
  }
}
