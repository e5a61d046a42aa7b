import { availableParallelism } from 'node:os'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { StoreArgs } from '../adapters/embedded-runtime.js'
import { InvalidRequestError } from '../core/contract/errors.js'

/** Exit codes of every command. */
export const ExitCode = { ok: 0, failed: 1, badInput: 2, partial: 3 } as const

/** A command-line argument is missing or malformed (exit code 2). */
export class UsageError extends InvalidRequestError {}

export type { StoreArgs } from '../adapters/embedded-runtime.js'

/** `parseArgs` option specs of the store options. */
export const storeOptions = {
  store: { type: 'string' },
  endpoint: { type: 'string' },
  results: { type: 'string' },
  prefix: { type: 'string' },
} as const

/** Default result location: a local directory beside where the command runs. */
export const DEFAULT_RESULTS_DIR = '.tempo-batch/results'

type OptionSpecs = NonNullable<ParseArgsConfig['options']>

/** The parsed values of options `T`: booleans, strings, or string lists for `multiple` options; absent when not given. */
export type CommandValues<T extends OptionSpecs> = {
  [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : T[K] extends { multiple: true } ? string[] : string
}

/**
 * `parseArgs` in strict mode, with two repairs for users: a negative number after a string option
 * (`--max-bytes-per-trace -1`) is taken as its value, so the option's own check can name the problem, and
 * every parse error becomes a one-line `UsageError` naming the flag instead of Node's advice text.
 */
export function parseCommandArgs<const T extends OptionSpecs>(argv: readonly string[], options: T): { values: CommandValues<T> } {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options, strict: true, allowPositionals: false }) as unknown as { values: CommandValues<T> }
  } catch (error) {
    throw usageErrorOf(error)
  }
}

function joinNegativeValues(argv: readonly string[], options: OptionSpecs): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!
    const next = argv[i + 1]
    const name = token.startsWith('--') && !token.includes('=') ? token.slice(2) : undefined
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${token}=${next}`)
      i++
    } else out.push(token)
  }
  return out
}

function usageErrorOf(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) return error
  const message = error instanceof Error ? error.message : String(error)
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? ''
  const flag = quoted.split(' ')[0] ?? ''
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(flag, 'is not an option of this command (see --help)')
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new UsageError('arguments', `${JSON.stringify(quoted)} is not expected (options start with --)`)
  if (/does not take an argument/.test(message)) return new UsageError(flag, 'takes no value')
  return new UsageError(flag || 'arguments', 'needs a value')
}

/** Validate the store options (`--endpoint` falls back to `AWS_ENDPOINT_URL`). */
export function readStoreArgs(values: { store?: string; endpoint?: string; results?: string; prefix?: string }): StoreArgs {
  if (!values.store) throw new UsageError('--store', 'is required (a directory or s3://bucket[/prefix])')
  const endpoint = values.endpoint ?? process.env.AWS_ENDPOINT_URL
  return { store: values.store, results: values.results ?? DEFAULT_RESULTS_DIR, prefix: values.prefix ?? '', ...(endpoint ? { endpoint } : {}) }
}

/** A required string option. */
export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(flag, 'is required')
  return value
}

/** An optional non-negative integer option. */
export function optionalInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new UsageError(flag, `${JSON.stringify(value)} is not a non-negative integer`)
  return Number(value)
}

/** An optional integer option in `[min, max]`. */
export function integerInRange(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  const n = optionalInteger(value, flag)
  if (n !== undefined && (n < min || n > max)) throw new UsageError(flag, `${n} is not between ${min} and ${max}`)
  return n
}

/** What `--concurrency N` means, for the help texts. */
export const CONCURRENCY_HELP = '--concurrency N: reader worker threads, 1 or more (default and maximum: one per core; never more than the batch has shards)'

/**
 * Reader worker threads for `--concurrency`: one per core by default; more than the cores is capped to
 * the cores (each thread decodes parquet and holds its own pages, so extra threads only add memory).
 * Zero, negatives and non-numbers are refused.
 */
export function readerThreads(value: string | undefined, cores = availableParallelism()): { workers: number; note?: string } {
  if (value === undefined) return { workers: cores }
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError('--concurrency', `${JSON.stringify(value)} is not a positive number of reader threads`)
  const requested = Number(value)
  if (requested <= cores) return { workers: requested }
  return { workers: cores, note: `--concurrency ${requested} is more than the ${cores} cores; running at most ${cores} reader threads` }
}
