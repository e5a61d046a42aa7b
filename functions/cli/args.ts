import { readFile } from 'node:fs/promises'
import { InvalidRequestError } from '../core/contract/errors.js'

/** Exit codes of every command. */
export const ExitCode = { ok: 0, failed: 1, badInput: 2, partial: 3 } as const

/** A command-line argument is missing or malformed (exit code 2). */
export class UsageError extends InvalidRequestError {}

/** Store options shared by `fetch`, `blocks` and `serve`. */
export interface StoreArgs {
  store: string
  endpoint?: string
  results: string
  prefix: string
}

/** `parseArgs` option specs of the store options. */
export const storeOptions = {
  store: { type: 'string' },
  endpoint: { type: 'string' },
  results: { type: 'string' },
  prefix: { type: 'string' },
} as const

/** Default result location: a local directory beside where the command runs. */
export const DEFAULT_RESULTS_DIR = '.tempo-batch/results'

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
  if (!/^\d+$/.test(value)) throw new UsageError(flag, `${JSON.stringify(value)} is not a non-negative integer`)
  return Number(value)
}

/** Trace IDs from a file (or `-` for stdin): separated by whitespace or commas, `#` starts a comment. */
export async function readIdsFile(path: string): Promise<string[]> {
  const text = path === '-' ? await readStdin() : await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError('--ids', `cannot read ${path}: ${error.code ?? error.message}`)
  })
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .flatMap((line) => line.split(/[\s,]+/))
    .filter((token) => token.length > 0)
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
