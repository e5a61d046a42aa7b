import { InvalidRequestError } from '../../core/contract/errors.js'
import { validateRequestId } from '../../core/contract/request.js'
import { joinKey, validateTenant } from '../../core/storage/layout.js'

/**
 * The compare step's input, as the two-groups state machine passes it: the tenant, where both fetched
 * results are (keys in the result bucket, under the tenant's results) and the ID under which the report
 * is written (`<resultPrefix>/<tenant>/<reportId>/`), so a report stays within its tenant like results do.
 */
export interface CompareTaskInput {
  tenant: string
  groupA: { resultKey: string; label?: string }
  groupB: { resultKey: string; label?: string }
  /** The report goes to `<resultPrefix>/<reportId>/report.json` and `report.html`. */
  reportId: string
  fdr?: number
  /** Also write each group's spans as `spans.parquet` beside its result. */
  spansParquet?: boolean
}

/** Validate the task input; result keys must lie under the tenant's results (never another tenant's). */
export function parseCompareTask(event: unknown, resultPrefix: string): CompareTaskInput {
  if (typeof event !== 'object' || event === null) throw new InvalidRequestError('event', 'must be an object')
  const input = event as Record<string, unknown>
  const tenant = validateTenant(input.tenant)
  const group = (field: 'groupA' | 'groupB') => {
    const value = input[field] as { resultKey?: unknown; label?: unknown } | undefined
    const key = value?.resultKey
    if (typeof key !== 'string') throw new InvalidRequestError(`${field}.resultKey`, 'must be a string')
    const prefix = `${joinKey(resultPrefix, tenant)}/`
    if (!key.startsWith(prefix) || key.split('/').includes('..')) throw new InvalidRequestError(`${field}.resultKey`, `must lie under the tenant's results ${JSON.stringify(prefix)}`)
    if (value?.label !== undefined && typeof value.label !== 'string') throw new InvalidRequestError(`${field}.label`, 'must be a string')
    return { resultKey: key, ...(typeof value?.label === 'string' ? { label: value.label } : {}) }
  }
  const task: CompareTaskInput = { tenant, groupA: group('groupA'), groupB: group('groupB'), reportId: validateRequestId(input.reportId) }
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
