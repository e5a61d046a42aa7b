import { writeFile } from 'node:fs/promises'
import { openStore } from '../../adapters/store-url.js'
import { discoverBlocks } from '../../core/blocks/discovery.js'
import { describeError, InvalidRequestError } from '../../core/contract/errors.js'
import { TempoLayout, validateTenant } from '../../core/storage/layout.js'
import type { ObjectStore } from '../../core/storage/object-store.js'
import { generateTenant } from '../../generator/generate-tenant.js'
import type { GeneratedFormat } from '../../generator/tempo/dedicated.js'
import { ExitCode, parseCommandArgs, UsageError } from '../args.js'

/** Usage of `tempo-batch generate`. */
export const usage = `usage: tempo-batch generate --out <dir|s3://bucket[/prefix]> [--tenant <id>] [--blocks N] [--traces-per-block N]
       [--format vParquet4|vParquet5] [--seed N] [--row-group-bytes N] [--page-bytes N] [--bloom-fp X]
       [--bloom-shard-bytes N] [--replicated X] [--split X] [--endpoint <url>] [--prefix <p>] [--ids-out <file>] [--append]

  A tenant that has blocks already is refused unless --append (which keeps them in the tenant index).
  Progress goes to stderr, one line per block.`

const options = {
  out: { type: 'string' },
  tenant: { type: 'string' },
  blocks: { type: 'string' },
  'traces-per-block': { type: 'string' },
  format: { type: 'string' },
  seed: { type: 'string' },
  'row-group-bytes': { type: 'string' },
  'page-bytes': { type: 'string' },
  'bloom-fp': { type: 'string' },
  'bloom-shard-bytes': { type: 'string' },
  replicated: { type: 'string' },
  split: { type: 'string' },
  endpoint: { type: 'string' },
  prefix: { type: 'string' },
  'ids-out': { type: 'string' },
  append: { type: 'boolean' },
} as const

/** `tempo-batch generate`: write a synthetic Tempo tenant; prints a one-line summary. Exit 2 on bad arguments. */
export async function run(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseGenerateArgs(argv)
  } catch (error) {
    if (error instanceof InvalidRequestError) {
      process.stderr.write(`tempo-batch generate: ${describeError(error)}\n`)
      return ExitCode.badInput
    }
    throw error
  }
  const { out, endpoint, idsOut, append, ...generateOptions } = parsed
  const store = openStore(out, endpoint ? { endpoint } : {})
  const keepMetas = await existingBlocks(store, generateOptions.prefix, generateOptions.tenant, append)
  const started = performance.now()
  let written = 0
  const s = await generateTenant(store, {
    ...generateOptions,
    keepMetas,
    onBlock: (block) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1)
      process.stderr.write(`tempo-batch generate: block ${++written}/${generateOptions.blocks} ${block.blockId}: ${block.traces} traces, ${block.spans} spans (${seconds} s)\n`)
    },
  })
  // The written IDs, one per line: ready for `tempo-batch fetch --ids <file>`.
  if (idsOut !== undefined) await writeFile(idsOut, s.traceIds.join('\n') + '\n')
  process.stdout.write(
    `generated ${s.format} tenant ${s.tenant} in ${store.description}: ${s.blocks.length} blocks, ${s.traces} traces (${s.rows} rows, ` +
      `${s.replicatedTraceIds.length} replicated, ${s.splitTraceIds.length} split), ${s.spans} spans, ${s.bytes} bytes of parquet ` +
      `in ${(s.elapsedMs / 1000).toFixed(1)} s (${s.spansPerMinute} spans/min; ${s.spansPerCpuMinute} per CPU minute)\n`,
  )
  return ExitCode.ok
}

// Adding blocks to a tenant silently would leave a tenant index that lists only the new ones.
async function existingBlocks(store: ObjectStore, prefix: string, tenant: string, append: boolean) {
  const found = await discoverBlocks(store, new TempoLayout(prefix), tenant, { source: 'listing' })
  if (found.blocks.length > 0 && !append) {
    throw new UsageError('--out', `tenant ${JSON.stringify(tenant)} in ${store.description} has ${found.blocks.length} blocks already: pass --append to add more, or choose another --out or --tenant`)
  }
  return found.blocks
}

/** Parse and validate the arguments into `generateTenant` options plus the output location. */
export function parseGenerateArgs(argv: string[]) {
  const { values } = parseCommandArgs(argv, options)
  if (!values.out) throw new UsageError('--out', 'is required (a directory or s3://bucket[/prefix])')
  const format = values.format ?? 'vParquet4'
  if (format !== 'vParquet4' && format !== 'vParquet5') throw new UsageError('--format', `${JSON.stringify(format)} is not vParquet4 or vParquet5`)
  const replicatedFraction = fraction(values.replicated, '--replicated', 0.03, true)
  const splitFraction = fraction(values.split, '--split', 0.03, true)
  if (replicatedFraction + splitFraction >= 1) throw new UsageError('--replicated', 'plus --split must be below 1')
  return {
    out: values.out,
    idsOut: values['ids-out'],
    append: values.append ?? false,
    endpoint: values.endpoint ?? process.env.AWS_ENDPOINT_URL,
    prefix: values.prefix ?? '',
    tenant: validateTenant(values.tenant ?? 'single-tenant'),
    format: format as GeneratedFormat,
    blocks: integer(values.blocks, '--blocks', 4, 1),
    tracesPerBlock: integer(values['traces-per-block'], '--traces-per-block', 1000, 1),
    seed: integer(values.seed, '--seed', 1, 0),
    rowGroupBytes: integer(values['row-group-bytes'], '--row-group-bytes', 100_000_000, 1),
    pageBytes: integer(values['page-bytes'], '--page-bytes', 262_144, 1),
    bloomFalsePositive: fraction(values['bloom-fp'], '--bloom-fp', 0.01, false),
    bloomShardBytes: integer(values['bloom-shard-bytes'], '--bloom-shard-bytes', 102_400, 1),
    replicatedFraction,
    splitFraction,
  }
}

function integer(value: string | undefined, flag: string, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) throw new UsageError(flag, `${JSON.stringify(value)} is not an integer >= ${min}`)
  return Number(value)
}

function fraction(value: string | undefined, flag: string, fallback: number, zeroAllowed: boolean): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 1 || (!zeroAllowed && n === 0)) throw new UsageError(flag, `${JSON.stringify(value)} is not a fraction in ${zeroAllowed ? '[0, 1)' : '(0, 1)'}`)
  return n
}
