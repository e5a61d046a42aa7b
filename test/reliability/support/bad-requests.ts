import fc from 'fast-check'

/**
 * Generated malformed batch requests (issue 11), each made invalid on purpose by exactly one "breaker",
 * so the answer it must get is known: the status and the field (or one of the fields) it must name.
 */

/** One malformed request as an HTTP entry point receives it. */
export interface BadRequest {
  /** Which breaker made it (for counts per kind). */
  breaker: string
  body: Uint8Array | undefined
  contentType?: string
  headerTenant?: string
  /** The statuses it may get. */
  statuses: number[]
  /** The answer's `field` starts with one of these. */
  fields: string[]
}

/** What the generators build requests around. */
export interface RequestSetting {
  tenant: string
  /** IDs that exist (a valid request of them would be answered 200). */
  ids: string[]
  maxIds: number
  maxBodyBytes: number
}

const TENANT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!-_.*'()"
const HEX = '0123456789abcdefABCDEF'
const KNOWN_FIELDS = new Set(['tenant', 'traceIds', 'traces', 'start', 'end', 'requestId', 'maxBytesPerTrace'])
const encoder = new TextEncoder()

const hexId = fc.string({ unit: fc.constantFrom(...HEX), minLength: 1, maxLength: 32 })
const allowedTenant = fc.string({ unit: fc.constantFrom(...TENANT_CHARS), minLength: 1, maxLength: 20 }).filter((t) => t !== '.' && t !== '..')
/** A character Tempo's tenant rule refuses. */
const notTenantChar = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => !TENANT_CHARS.includes(c))
/** A printable ASCII character Tempo's tenant rule refuses (usable in an HTTP header). */
export const notTenantAsciiChar = fc.constantFrom(...' "#$%&+,/:;<=>?@[\\]^`{|}~')

/** Values that are not what a field wants: every JSON type, deep nesting included. */
const wrongValue = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 3 }),
  fc.string({ maxLength: 12 }),
)

/** Strings Tempo's tenant rule refuses, and values that are not strings at all. */
export const badTenant = fc.oneof(
  fc.tuple(fc.string({ unit: fc.constantFrom(...TENANT_CHARS), maxLength: 8 }), notTenantChar, fc.string({ unit: fc.constantFrom(...TENANT_CHARS), maxLength: 8 })).map(([a, b, c]) => a + b + c),
  fc.constantFrom('', '.', '..', 'tempo_cluster_seed.json', 'work.json', '%2e%2e', 'a%b', 'a:b', 'a|b', '../x'),
  fc.integer({ min: 151, max: 400 }).map((n) => 'x'.repeat(n)),
  fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(allowedTenant, { minLength: 1, maxLength: 2 }), fc.dictionary(allowedTenant, allowedTenant, { maxKeys: 2 })),
)

/** Trace IDs Tempo refuses: a non-hex character, more than 32 digits, nothing, or not a string. */
const badTraceId = fc.oneof(
  fc.tuple(fc.string({ unit: fc.constantFrom(...HEX), maxLength: 10 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }).filter((s) => /[^0-9a-fA-F\s]/.test(s)), fc.string({ unit: fc.constantFrom(...HEX), maxLength: 10 })).map(([a, b, c]) => a + b + c),
  fc.integer({ min: 33, max: 80 }).map((n) => 'a'.repeat(n)),
  fc.constantFrom('', '   ', '0x12', '-1', 'g'),
  fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(hexId, { maxLength: 2 })),
)

/** Window values that are not unix seconds (0 and absent are "not given", so never used here); nesting fits `maxDepth`. */
function badSecondsOf(maxDepth: number) {
  return fc.oneof(
    fc.integer({ min: -1_000_000, max: -1 }),
    fc.double({ min: 0.001, max: 1e6, noNaN: true }).filter((d) => !Number.isInteger(d)),
    fc.constantFrom(1e300, Number.MAX_SAFE_INTEGER + 2, 'ten', '-5', '1.5', true, [], {}),
    fc.integer({ min: 1, max: maxDepth }).map((depth) => nested(depth)),
  )
}

/** A deeply nested array (`[[[...]]]`): parsing is fine, anything recursive over it is not. */
class Nested {
  constructor(readonly depth: number) {}
}
function nested(depth: number): Nested {
  return new Nested(depth)
}

/** JSON text of a request, deep nestings written out as brackets (JSON.stringify itself would overflow on them). */
export function jsonText(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof Nested ? `@@nested:${v.depth}@@` : v))
  return text.replace(/"@@nested:(\d+)@@"/g, (_match, depth: string) => '['.repeat(Number(depth)) + ']'.repeat(Number(depth)))
}

const badRequestId = fc.oneof(
  fc.constantFrom('', '.x', '..', 'a/b', 'a b', 'a:b', 'é', 'x'.repeat(129)),
  fc.tuple(fc.string({ unit: fc.constantFrom(...'abc123_-'), maxLength: 10 }), fc.constantFrom(...'/:\\ ?#%é\u0000')).map(([a, b]) => `a${a}${b}`),
  fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string(), { maxLength: 2 })),
)

const badMaxBytes = fc.oneof(fc.integer({ min: -1_000_000, max: -1 }), fc.constantFrom(1.5, '100', null, true, [], {}, 1e300))

type Base = Record<string, unknown>

/** A valid request of the setting (the breakers below each make it invalid in one way). */
function validBase(setting: RequestSetting): fc.Arbitrary<Base> {
  return fc.record(
    {
      tenant: fc.constant(setting.tenant),
      traceIds: fc.uniqueArray(fc.oneof(fc.constantFrom(...setting.ids), hexId), { minLength: 1, maxLength: Math.min(5, setting.maxIds), selector: (id) => id.toLowerCase().replace(/^0+/, '') }),
      requestId: fc.string({ unit: fc.constantFrom(...'abcdef0123456789-_'), minLength: 1, maxLength: 20 }),
      maxBytesPerTrace: fc.integer({ min: 0, max: 10_000_000 }),
    },
    { requiredKeys: ['tenant', 'traceIds'] },
  )
}

const json = (value: unknown): Uint8Array => encoder.encode(jsonText(value))
const asJson = { contentType: 'application/json' }

function objectBreaker(name: string, fields: string[], make: (base: Base) => fc.Arbitrary<Base>, statuses = [400]) {
  return (base: Base) => make(base).map((body): BadRequest => ({ breaker: name, body: json(body), ...asJson, statuses, fields }))
}

/** Every breaker: a function of a valid request to an arbitrary of broken ones. */
function breakers(setting: RequestSetting): ((base: Base) => fc.Arbitrary<BadRequest>)[] {
  // Nestings as deep as the body limit allows (two bytes a level, room for the rest of the request).
  const maxDepth = Math.max(1, Math.floor((setting.maxBodyBytes - 600) / 2))
  const badSeconds = badSecondsOf(maxDepth)
  return [
    objectBreaker('tenant', ['tenant'], (base) => badTenant.map((tenant) => ({ ...base, tenant }))),
    objectBreaker('tenant missing', ['tenant'], (base) => fc.constant(Object.fromEntries(Object.entries(base).filter(([k]) => k !== 'tenant')))),
    objectBreaker('traceIds', ['traceIds'], (base) =>
      fc.oneof(
        fc.tuple(badTraceId, fc.nat()).map(([bad, at]) => {
          const list = [...(base.traceIds as unknown[])]
          list.splice(at % (list.length + 1), 0, bad)
          return { ...base, traceIds: list }
        }),
        fc.constantFrom<unknown>([], 'abc', 12, {}, true).map((traceIds) => ({ ...base, traceIds })),
      ),
    ),
    objectBreaker('traces', ['traces'], (base) =>
      fc.oneof(
        badTraceId.map((id) => ({ id })),
        fc.tuple(hexId, badSeconds).map(([id, start]) => ({ id, start, end: 10 })),
        fc.tuple(hexId, fc.integer({ min: 2, max: 2e9 })).map(([id, start]) => ({ id, start, end: start - 1 })),
        fc.tuple(hexId, fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !['id', 'traceId', 'start', 'end'].includes(k))).map(([id, key]) => ({ id, [key]: 1 })),
        fc.constantFrom<unknown>(12, null, true, []),
      ).map((entry) => {
        const { traceIds, ...rest } = base
        return { ...rest, traces: [...(traceIds as string[]).map((id) => ({ id })), entry] }
      }),
    ),
    objectBreaker('window', ['start', 'end'], (base) =>
      fc.oneof(
        fc.tuple(fc.constantFrom('start', 'end'), badSeconds).map(([key, value]) => ({ ...base, [key]: value })),
        fc.integer({ min: 2, max: 2e9 }).map((start) => ({ ...base, start, end: start - 1 })),
      ),
    ),
    objectBreaker('requestId', ['requestId'], (base) => badRequestId.map((requestId) => ({ ...base, requestId }))),
    objectBreaker('maxBytesPerTrace', ['maxBytesPerTrace'], (base) => badMaxBytes.map((maxBytesPerTrace) => ({ ...base, maxBytesPerTrace }))),
    objectBreaker('both lists', ['traceIds'], (base) => fc.constant({ ...base, traces: [{ id: 'ab' }] })),
    objectBreaker('too many IDs', ['traceIds'], (base) => fc.uniqueArray(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }), { minLength: setting.maxIds + 1, maxLength: setting.maxIds + 10 }).map((traceIds) => ({ ...base, traceIds })), [413]),
    // Unknown and prototype keys, written into the JSON text (an object literal's __proto__ would set the prototype).
    (base) =>
      fc
        .oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'strat', 'traceID', 'Tenant'), fc.string({ minLength: 1, maxLength: 60 }).filter((k) => !KNOWN_FIELDS.has(k)))
        .chain((key) => wrongValue.map((value) => ({ key, value })))
        .map(({ key, value }): BadRequest => {
          const text = jsonText(base).slice(0, -1) + `,${JSON.stringify(key)}:${jsonText(value)}}`
          const field = key.length > 40 ? `${key.slice(0, 40)}...` : key
          return { breaker: 'unknown field', body: encoder.encode(text), ...asJson, statuses: [400], fields: [field] }
        }),
    // Bodies that are not a JSON object at all.
    (base) =>
      fc
        .oneof(
          fc.nat().map((cut) => {
            const text = jsonText(base)
            return encoder.encode(text.slice(0, 1 + (cut % (text.length - 1))))
          }),
          // Led by a byte that is never UTF-8, so no random run can spell a JSON object by chance.
          fc.uint8Array({ maxLength: 200 }).map((bytes) => Uint8Array.of(0xff, ...bytes)),
          fc.constantFrom('[]', '"x"', '12', 'null', 'true', '[{"tenant":"a"}]').map((t) => encoder.encode(t)),
          fc.integer({ min: 1, max: maxDepth }).map((depth) => encoder.encode('['.repeat(depth) + ']'.repeat(depth))),
          fc.nat().map((at) => {
            const bytes = json(base)
            const out = new Uint8Array(bytes.length + 1)
            const i = 1 + (at % (bytes.length - 1))
            out.set(bytes.subarray(0, i))
            out[i] = 0xff
            out.set(bytes.subarray(i), i + 1)
            return out
          }),
        )
        .map((body): BadRequest => ({ breaker: 'body', body, ...asJson, statuses: [400], fields: ['body'] })),
    () => fc.constant<BadRequest>({ breaker: 'empty body', body: undefined, ...asJson, statuses: [400], fields: ['body'] }),
    (base) =>
      fc.integer({ min: 1, max: 4_000 }).map((extra): BadRequest => {
        const text = jsonText(base)
        const padded = text.slice(0, -1) + ' '.repeat(setting.maxBodyBytes - text.length + extra) + '}'
        return { breaker: 'oversized body', body: encoder.encode(padded), ...asJson, statuses: [413], fields: ['body'] }
      }),
    (base) =>
      fc
        .constantFrom('application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', 'image/png', 'text/html; charset=utf-8')
        .map((contentType): BadRequest => ({ breaker: 'content type', body: json(base), contentType, statuses: [415], fields: ['content-type'] })),
    (base) =>
      fc
        .oneof(
          allowedTenant.filter((t) => t !== setting.tenant).map((header) => ({ header, body: base })),
          // The bad character in the middle: HTTP trims a header value's ends.
          fc.tuple(fc.string({ unit: fc.constantFrom(...TENANT_CHARS), maxLength: 6 }), notTenantAsciiChar).map(([a, b]) => ({ header: `${a}${b}z`, body: Object.fromEntries(Object.entries(base).filter(([k]) => k !== 'tenant')) })),
        )
        .map(({ header, body }): BadRequest => ({ breaker: 'X-Scope-OrgID', body: json(body), ...asJson, headerTenant: header, statuses: [400], fields: ['tenant'] })),
  ]
}

/** Malformed batch requests around `setting`, each broken in exactly one way. */
export function badBatchRequests(setting: RequestSetting): fc.Arbitrary<BadRequest> {
  const all = breakers(setting)
  return fc.tuple(validBase(setting), fc.nat(all.length - 1)).chain(([base, which]) => all[which]!(base))
}

/** Tally of cases tried per breaker, for the README's figures. */
export class CaseTally {
  readonly counts = new Map<string, number>()
  add(kind: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1)
  }
  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0)
  }
  /** One line: `12000 cases (body 800, tenant 760, ...)`. */
  describe(): string {
    const parts = [...this.counts].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind} ${n}`)
    return `${this.total} cases (${parts.join(', ')})`
  }
}
