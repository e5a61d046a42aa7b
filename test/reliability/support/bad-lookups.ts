import fc from 'fast-check'
import { notTenantAsciiChar } from './bad-requests.js'

/** One malformed Tempo trace-by-ID GET, and the fields the 400 may name. */
export interface BadLookup {
  breaker: string
  path: string
  headers: Record<string, string>
  fields: string[]
}

const HEX = '0123456789abcdef'
const TENANT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!-_.*'()"
const goodId = fc.string({ unit: fc.constantFrom(...HEX), minLength: 1, maxLength: 32 })
const goodSeconds = fc.integer({ min: 1, max: 4_000_000_000 })

/** Path segments that are not trace IDs: non-hex text (percent-encoded), too long, or a broken escape. */
const badIdSegment = fc.oneof(
  fc.tuple(fc.string({ unit: fc.constantFrom(...HEX), maxLength: 8 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }).filter((s) => /[^0-9a-fA-F\s]/.test(s))).map(([a, b]) => ({ segment: encodeURIComponent(a + b), fields: ['traceId'] })),
  fc.integer({ min: 33, max: 200 }).map((n) => ({ segment: 'f'.repeat(n), fields: ['traceId'] })),
  fc.constantFrom('%zz', '%', '%e0%a4', 'ab%2', '%C0%AF').map((segment) => ({ segment, fields: ['path', 'traceId'] })),
)

/** Query values that are not unix seconds, or a reversed window. */
const badWindow = fc.oneof(
  fc.tuple(fc.constantFrom('start', 'end'), fc.oneof(fc.constantFrom('ten', '-5', '1.5', '1e3', ' 1', '0x10', '１'), fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/^\d*$/.test(s)))).map(([name, value]) => ({ query: `${name}=${encodeURIComponent(value)}`, fields: [name] })),
  goodSeconds.map((start) => ({ query: `start=${start + 1}&end=${start}`, fields: ['end', 'start'] })),
)

/** Tenant header values Tempo's rule refuses (printable ASCII, so they can travel in a header). */
const badTenantHeader = fc.oneof(
  fc.tuple(fc.string({ unit: fc.constantFrom(...TENANT_CHARS), maxLength: 10 }), notTenantAsciiChar).map(([a, b]) => `${a}${b}z`),
  fc.constantFrom('.', '..', '%2e%2e', 'a%b', 'a:b', 'a|b', '../etc', 'tempo_cluster_seed.json'),
  fc.integer({ min: 151, max: 300 }).map((n) => 'y'.repeat(n)),
)

/** Malformed trace-by-ID GETs on `/api/traces/{id}` and `/api/v2/traces/{id}`, one breaker each. */
export function badLookups(tenant: string): fc.Arbitrary<BadLookup> {
  const prefix = fc.constantFrom('/api/traces/', '/api/v2/traces/')
  const accept = fc.constantFrom('application/json', 'application/protobuf', '*/*', 'text/html', 'application/protobuf, application/json')
  return fc.oneof(
    fc.tuple(prefix, badIdSegment, accept).map(([p, id, a]) => ({ breaker: 'trace ID', path: p + id.segment, headers: { 'x-scope-orgid': tenant, accept: a }, fields: id.fields })),
    fc.tuple(prefix, goodId, badWindow, accept).map(([p, id, w, a]) => ({ breaker: 'window', path: `${p}${id}?${w.query}`, headers: { 'x-scope-orgid': tenant, accept: a }, fields: w.fields })),
    fc.tuple(prefix, goodId, badTenantHeader).map(([p, id, t]) => ({ breaker: 'X-Scope-OrgID', path: p + id, headers: { 'x-scope-orgid': t }, fields: ['tenant'] })),
  )
}
