import { describe, expect, it } from 'vitest'
import { ConfigError, readResultStoreConfig } from '../../functions/config/read-config.js'
import { InvalidRequestError } from '../../functions/core/contract/errors.js'
import { parseCompareTask } from '../../functions/handlers/shared/compare-task.js'

describe('compare step input', () => {
  const valid = { tenant: 'team-a', groupA: { resultKey: 'results/team-a/run-a/run-1/result.ndjson.gz', label: 'failed' }, groupB: { resultKey: 'results/team-a/run-b/run-1/result.ndjson.gz' }, reportId: 'run-compare' }

  it("accepts result keys under the tenant's results", () => {
    expect(parseCompareTask({ ...valid, fdr: 0.1, spansParquet: true }, 'results')).toEqual({ ...valid, fdr: 0.1, spansParquet: true })
  })

  it.each([
    [{ ...valid, groupA: { resultKey: 'other/x.ndjson.gz' } }, 'groupA.resultKey'],
    [{ ...valid, groupA: { resultKey: 'results/team-b/run-a/run-1/result.ndjson.gz' } }, 'groupA.resultKey'],
    [{ ...valid, tenant: '../x' }, 'tenant'],
    [{ ...valid, groupB: { resultKey: 'results/team-a/../team-b/x' } }, 'groupB.resultKey'],
    [{ ...valid, groupB: {} }, 'groupB.resultKey'],
    [{ ...valid, reportId: '../x' }, 'requestId'],
    [{ ...valid, fdr: 0 }, 'fdr'],
    [{ ...valid, spansParquet: 'yes' }, 'spansParquet'],
    [{ ...valid, groupA: { ...valid.groupA, label: 3 } }, 'groupA.label'],
  ])('rejects %j naming %s', (event, field) => {
    expect(() => parseCompareTask(event, 'results')).toThrow(InvalidRequestError)
    try {
      parseCompareTask(event, 'results')
    } catch (error) {
      expect((error as InvalidRequestError).field).toBe(field)
    }
  })

  it('the compare function needs only the result bucket', () => {
    expect(readResultStoreConfig({ RESULT_BUCKET: 'b', RESULT_PREFIX: 'results' })).toEqual({ resultBucket: 'b', resultPrefix: 'results' })
    expect(() => readResultStoreConfig({ RESULT_PREFIX: 'results' })).toThrow(ConfigError)
  })
})
