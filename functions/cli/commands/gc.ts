import { fileURLToPath } from 'node:url'
import { collectOldResults } from '../../adapters/fs-results-gc.js'
import { isS3Spec } from '../../adapters/store-url.js'
import { DEFAULT_RESULTS_DIR, ExitCode, integerInRange, parseCommandArgs, UsageError } from '../args.js'

/** Usage of `tempo-batch gc`. */
export const gcUsage = `usage: tempo-batch gc [--results <dir>] [--older-than DAYS] [--dry-run]

  Deletes request folders (<results>/<tenant>/<requestId>/) whose newest file is older than DAYS
  (default 7, the deployed result bucket's expiry). S3 results expire by the bucket's lifecycle rule.`

const DAY_MS = 24 * 60 * 60 * 1000

/** `tempo-batch gc`: delete old results from a local results folder. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { results: { type: 'string' }, 'older-than': { type: 'string' }, 'dry-run': { type: 'boolean' } })
  const results = values.results ?? DEFAULT_RESULTS_DIR
  if (isS3Spec(results)) throw new UsageError('--results', 'gc works on a local results folder; S3 results expire by the bucket\'s lifecycle rule')
  const days = integerInRange(values['older-than'], '--older-than', 0, 36_500) ?? 7
  const dryRun = values['dry-run'] ?? false
  const root = results.startsWith('file:') ? fileURLToPath(results) : results
  const report = await collectOldResults(root, new Date(Date.now() - days * DAY_MS), { dryRun })
  for (const request of report.removed) process.stdout.write(`${request}\n`)
  const verb = dryRun ? 'would delete' : 'deleted'
  process.stderr.write(`tempo-batch gc: ${verb} ${report.removed.length} requests (${report.bytes} bytes) older than ${days} days from ${root}; kept ${report.kept}\n`)
  return ExitCode.ok
}
