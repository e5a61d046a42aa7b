import { writeFile } from 'node:fs/promises'
import { runBatch } from '../../core/batch/coordinator.js'
import type { Manifest } from '../../core/contract/types.js'
import { OUTPUT_FORMATS, outputFormat, resultRecords, type OutputFormat } from '../../core/output/registry.js'
import { ndjsonLines } from '../../core/results/ndjson.js'
import { readObjectChunks } from '../../core/storage/read-stream.js'
import { CONCURRENCY_HELP, parseCommandArgs, readerThreads, readStoreArgs, storeOptions, ExitCode, UsageError } from '../args.js'
import { createEmbeddedRuntime, type EmbeddedRuntime } from '../../adapters/embedded-runtime.js'
import { readFetchRequest } from '../fetch-request.js'
import { checkOutputPath, openOutput } from '../output-file.js'
import { createProgress } from '../progress.js'
import { checkStoreExists, noBlocksHint } from '../store-check.js'

/** Usage of `tempo-batch fetch`. */
export const fetchUsage = `usage: tempo-batch fetch --store <dir|s3://bucket[/prefix]> --tenant <id> (--ids <file|-> | --id <hex> ...)
       [--start S --end E] [--max-bytes-per-trace N] [--out <file|->] [--stats <file>] [--concurrency N]
       [--results <dir|s3://...>] [--endpoint <url>] [--prefix <p>] [--request-id <id>]
       [--format ${OUTPUT_FORMATS.map((f) => f.name).join('|')}]

  --start, --end: unix seconds; ${CONCURRENCY_HELP}

output formats (--format, written to --out):
${OUTPUT_FORMATS.map((f) => `  ${f.name.padEnd(12)} ${f.description}`).join('\n')}`

const options = {
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
} as const

/** `tempo-batch fetch`: one batch through the embedded coordinator; results to --out in --format, manifest to --stats. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, options)
  const storeArgs = readStoreArgs(values)
  const format = outputFormat(values.format ?? OUTPUT_FORMATS[0]!.name, '--format')
  const out = values.out ?? '-'
  // Where the output goes is checked before anything is read: a typo must not cost a whole batch.
  if (format.output === 'file' && out === '-') throw new UsageError('--out', `--format ${format.name} writes a file: give --out <file>`)
  if (format.output === 'binary' && out === '-' && process.stdout.isTTY) throw new UsageError('--out', `--format ${format.name} is binary: give --out <file> or redirect stdout`)
  await checkOutputPath(out, '--out')
  if (values.stats !== undefined) await checkOutputPath(values.stats, '--stats')
  const threads = readerThreads(values.concurrency)
  const request = await readFetchRequest(values)
  await checkStoreExists(storeArgs.store)
  if (threads.note) process.stderr.write(`tempo-batch fetch: ${threads.note}\n`)

  const runtime = await createEmbeddedRuntime(storeArgs, { workers: threads.workers })
  const progress = await createProgress('shards')
  try {
    const outcome = await runBatch(request, { ...runtime.deps, onProgress: (p) => progress.update(p.shardsDone, p.shards) })
    progress.stop()
    await reportWarnings(outcome.manifest, runtime)
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

async function reportWarnings(manifest: Manifest, runtime: EmbeddedRuntime): Promise<void> {
  for (const warning of manifest.warnings ?? []) {
    const hint = warning.code === 'no-blocks' ? ` (${await noBlocksHint(runtime.deps.tempoStore, runtime.deps.layout)})` : ''
    process.stderr.write(`tempo-batch fetch: warning: ${warning.message}${hint}\n`)
  }
}

// Written through a file handle (or stdout): a failing write is an error with one line, not an unhandled stream event.
async function writeResult(lines: AsyncIterable<string>, format: OutputFormat, out: string): Promise<void> {
  if (format.output === 'file') return format.write(resultRecords(lines), { path: out, sink: { write: async () => undefined } })
  const sink = await openOutput(out)
  try {
    await format.write(resultRecords(lines), { path: out, sink })
  } finally {
    await sink.close()
  }
}
