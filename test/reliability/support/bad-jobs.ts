import fc from 'fast-check'

/** One malformed reader job and the fields its refusal may name. */
export interface BadJob {
  breaker: string
  job: unknown
  fields: string[]
}

const BLOCK = '0f1e2d3c-4b5a-4978-8877-665544332211'

/**
 * Malformed reader jobs, one breaker each: wrong shapes and types, invalid tenants and request IDs, block
 * IDs that are not UUIDs, and part or ID-list keys of another tenant or request (a job may only write its
 * own part and read its own ID list).
 */
export function badReaderJobs(tenant: string, resultPrefix: string): fc.Arbitrary<BadJob> {
  const base = {
    requestId: 'r1',
    tenant,
    shard: 0,
    blockIdMin: BLOCK,
    blockIdMax: BLOCK,
    blocks: [{ blockId: BLOCK }],
    traceIds: ['0123456789abcdef0123456789abcdef'],
    maxBytesPerTrace: 1000,
    partKey: `${resultPrefix}/${tenant}/r1/run-1/parts/00000.ndjson.gz`,
  }
  const wrong = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.constant({}))
  const with_ = (field: string, values: fc.Arbitrary<unknown>, fields = [field]) => values.map((value): BadJob => ({ breaker: field, job: { ...base, [field]: value }, fields }))
  const foreignKeys = fc.constantFrom(
    `${resultPrefix}/other/r1/run-1/parts/00000.ndjson.gz`,
    `${resultPrefix}/${tenant}/r2/run-1/parts/00000.ndjson.gz`,
    `${resultPrefix}/${tenant}/r1/run-1/parts/../../../other/x.ndjson.gz`,
    `${resultPrefix}/${tenant}/r1/manifest.json`,
    `other/${tenant}/r1/run-1/parts/00000.ndjson.gz`,
    `/${resultPrefix}/${tenant}/r1/run-1/parts/00000.ndjson.gz`,
    `${tenant}/${BLOCK}/data.parquet`,
    '',
  )
  return fc.oneof(
    fc.constantFrom<unknown>(null, [], 'job', 12, true).map((job): BadJob => ({ breaker: 'not an object', job, fields: ['job'] })),
    with_('requestId', fc.oneof(wrong, fc.constantFrom('', '.x', 'a/b', 'x'.repeat(129)))),
    with_('tenant', fc.oneof(wrong, fc.constantFrom('', '..', 'a/b', 'a:b', '%2e%2e', 'x'.repeat(151)))),
    with_('partKey', fc.oneof(wrong, foreignKeys)),
    with_('idsKey', fc.oneof(fc.integer(), fc.boolean(), foreignKeys, fc.constant(`${resultPrefix}/other/r1/run-1/jobs/00000.json`))),
    with_('shard', fc.constantFrom<unknown>(-1, 1.5, '0', null)),
    with_('maxBytesPerTrace', fc.constantFrom<unknown>(-1, 1.5, '1000', null)),
    with_('blocks', fc.constantFrom<unknown>(null, 'x', {}, 3)),
    with_('blocks', fc.constantFrom<unknown>([{ blockId: '../x' }], [{ blockId: BLOCK.toUpperCase() }], [{}], [null], [{ blockId: 7 }], [{ blockId: BLOCK }, { blockId: 'index.json.gz' }]), ['blocks[']),
    with_('traceIds', fc.constantFrom<unknown>(null, 'x', [1], ['xyz'], ['0123456789ABCDEF0123456789ABCDEF'], [['a']])),
  )
}
