import fc from 'fast-check'
import { badTenant, jsonText, type BadRequest } from './bad-requests.js'

/**
 * Malformed comparison requests (`POST /v1/compare`) and compare-step inputs (the two-groups state
 * machine's comparer), one breaker each, with the field each refusal must name.
 */

const encoder = new TextEncoder()
const hexId = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 1, maxLength: 32 })
const badId = fc.oneof(fc.constantFrom('xyz', 'a'.repeat(33), '', '0x1'), fc.integer(), fc.constant(null))

/** Malformed `POST /v1/compare` bodies around a valid one of `tenant`. */
export function badCompareRequests(tenant: string, maxBodyBytes: number): fc.Arbitrary<BadRequest> {
  const base = fc.record({ tenant: fc.constant(tenant), groupA: fc.array(hexId, { minLength: 1, maxLength: 3 }), groupB: fc.array(hexId, { minLength: 1, maxLength: 3 }), labelA: fc.constant('slow'), fdr: fc.constant(0.1) })
  const object = (breaker: string, fields: string[], make: (b: Record<string, unknown>) => fc.Arbitrary<unknown>, statuses = [400]) =>
    base.chain((b) => make(b)).map((body): BadRequest => ({ breaker, body: encoder.encode(jsonText(body)), contentType: 'application/json', statuses, fields }))
  return fc.oneof(
    object('tenant', ['tenant'], (b) => badTenant.map((t) => ({ ...b, tenant: t }))),
    object('tenant missing', ['tenant'], ({ tenant: _t, ...rest }) => fc.constant(rest)),
    object('group', ['groupA', 'groupB'], (b) => fc.tuple(fc.constantFrom('groupA', 'groupB'), fc.oneof(fc.constantFrom<unknown>('abc', 3, null, {}, []), badId.map((id) => [id]))).map(([g, v]) => ({ ...b, [g]: v }))),
    object('fdr', ['fdr'], (b) => fc.constantFrom<unknown>(0, 1, 1.5, -0.1, '0.1', null, []).map((fdr) => ({ ...b, fdr }))),
    object('label', ['labelA', 'labelB'], (b) => fc.tuple(fc.constantFrom('labelA', 'labelB'), fc.constantFrom<unknown>('', 'x'.repeat(81), 3, null, [])).map(([l, v]) => ({ ...b, [l]: v }))),
    object('window', ['start', 'end'], (b) => fc.constantFrom<Record<string, unknown>>({ start: -1 }, { end: 'ten' }, { start: 20, end: 10 }, { start: 1.5 }).map((w) => ({ ...b, ...w }))),
    object('requestId', ['requestId'], (b) => fc.constantFrom<unknown>('', '.x', 'a/b', 3, 'x'.repeat(129)).map((requestId) => ({ ...b, requestId }))),
    base.chain((b) =>
      fc.oneof(fc.constantFrom('__proto__', 'constructor', 'traceIds', 'group_a', 'labelC'), fc.string({ minLength: 1, maxLength: 20 })).filter((k) => !['tenant', 'groupA', 'groupB', 'start', 'end', 'requestId', 'labelA', 'labelB', 'fdr'].includes(k)).map((key): BadRequest => {
        const text = jsonText(b).slice(0, -1) + `,${JSON.stringify(key)}:1}`
        return { breaker: 'unknown field', body: encoder.encode(text), contentType: 'application/json', statuses: [400], fields: [key.length > 40 ? `${key.slice(0, 40)}...` : key] }
      }),
    ),
    fc.constantFrom('[]', '{', '"x"', 'null').map((text): BadRequest => ({ breaker: 'body', body: encoder.encode(text), contentType: 'application/json', statuses: [400], fields: ['body'] })),
    base.map((b): BadRequest => ({ breaker: 'content type', body: encoder.encode(jsonText(b)), contentType: 'application/xml', statuses: [415], fields: ['content-type'] })),
    base.map((b): BadRequest => ({ breaker: 'oversized body', body: encoder.encode(jsonText(b).slice(0, -1) + ' '.repeat(maxBodyBytes) + '}'), contentType: 'application/json', statuses: [413], fields: ['body'] })),
    base.map((b): BadRequest => ({ breaker: 'X-Scope-OrgID', body: encoder.encode(jsonText(b)), contentType: 'application/json', headerTenant: 'someone-else', statuses: [400], fields: ['tenant'] })),
  )
}

/** Malformed inputs of the compare step, and the fields their refusal names. */
export function badCompareTasks(tenant: string, resultPrefix: string): fc.Arbitrary<{ breaker: string; event: unknown; fields: string[] }> {
  const key = (t: string, request: string) => `${resultPrefix}/${t}/${request}/run-1/result.ndjson.gz`
  const base = { tenant, groupA: { resultKey: key(tenant, 'x-a') }, groupB: { resultKey: key(tenant, 'x-b') }, reportId: 'x-compare' }
  const foreign = fc.constantFrom(key('other', 'x-a'), `${resultPrefix}/${tenant}/../other/x-a/run-1/result.ndjson.gz`, `other-prefix/${tenant}/x-a/result.ndjson.gz`, `${tenant}/x-a/result.ndjson.gz`, '', `${resultPrefix}/${tenant}`)
  return fc.oneof(
    fc.constantFrom<unknown>(null, 'x', 3, true).map((event) => ({ breaker: 'not an object', event, fields: ['event'] })),
    badTenant.map((t) => ({ breaker: 'tenant', event: { ...base, tenant: t }, fields: ['tenant'] })),
    fc.tuple(fc.constantFrom('groupA', 'groupB'), fc.oneof(foreign.map((k) => ({ resultKey: k })), fc.constantFrom<unknown>(null, {}, { resultKey: 3 }, { resultKey: key(tenant, 'y'), label: 7 }))).map(([g, v]) => ({ breaker: 'group', event: { ...base, [g]: v }, fields: [`${g}.`] })),
    fc.constantFrom<unknown>('', '.x', 'a/b', 3, undefined).map((reportId) => ({ breaker: 'reportId', event: { ...base, reportId }, fields: ['requestId'] })),
    fc.constantFrom<unknown>(0, 1, '0.1', null).map((fdr) => ({ breaker: 'fdr', event: { ...base, fdr }, fields: ['fdr'] })),
    fc.constantFrom<unknown>('yes', 1, null).map((spansParquet) => ({ breaker: 'spansParquet', event: { ...base, spansParquet }, fields: ['spansParquet'] })),
  )
}
