import { InvalidRequestError } from '../../core/contract/errors.js'
import { validateRequestId } from '../../core/contract/request.js'

/**
 * The compare step's input, as the two-groups state machine passes it: where both fetched results are
 * (keys in the result bucket, under the results prefix) and the ID under which the report is written.
 */
export interface CompareTaskInput {
  groupA: { resultKey: string; label?: string }
  groupB: { resultKey: string; label?: string }
  /** The report goes to `<resultPrefix>/<reportId>/report.json` and `report.html`. */
  reportId: string
  fdr?: number
  /** Also write each group's spans as `spans.parquet` beside its result. */
  spansParquet?: boolean
}

/** Validate the task input; result keys must lie under the results prefix (what the function's IAM allows anyway). */
export function parseCompareTask(event: unknown, resultPrefix: string): CompareTaskInput {
  if (typeof event !== 'object' || event === null) throw new InvalidRequestError('event', 'must be an object')
  const input = event as Record<string, unknown>
  const group = (field: 'groupA' | 'groupB') => {
    const value = input[field] as { resultKey?: unknown; label?: unknown } | undefined
    const key = value?.resultKey
    if (typeof key !== 'string') throw new InvalidRequestError(`${field}.resultKey`, 'must be a string')
    const prefix = resultPrefix === '' ? '' : `${resultPrefix}/`
    if (!key.startsWith(prefix) || key.split('/').includes('..')) throw new InvalidRequestError(`${field}.resultKey`, `must lie under the results prefix ${JSON.stringify(prefix)}`)
    if (value?.label !== undefined && typeof value.label !== 'string') throw new InvalidRequestError(`${field}.label`, 'must be a string')
    return { resultKey: key, ...(typeof value?.label === 'string' ? { label: value.label } : {}) }
  }
  const task: CompareTaskInput = { groupA: group('groupA'), groupB: group('groupB'), reportId: validateRequestId(input.reportId) }
  if (input.fdr !== undefined) {
    if (typeof input.fdr !== 'number' || !(input.fdr > 0 && input.fdr < 1)) throw new InvalidRequestError('fdr', 'must be a number between 0 and 1 (exclusive)')
    task.fdr = input.fdr
  }
  if (input.spansParquet !== undefined) {
    if (typeof input.spansParquet !== 'boolean') throw new InvalidRequestError('spansParquet', 'must be true or false')
    task.spansParquet = input.spansParquet
  }
  return task
}
