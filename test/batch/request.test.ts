import { describe, it, expect } from 'vitest'
import { parseBatchRequest, requestToJson, validateRequestId } from '../../functions/core/contract/request.js'
import { InvalidRequestError } from '../../functions/core/contract/errors.js'

function fieldOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (error instanceof InvalidRequestError) return error.field
    throw error
  }
  throw new Error('did not throw')
}

describe('parseBatchRequest', () => {
  it('normalises IDs as Tempo does, folds duplicates and sorts', () => {
    const request = parseBatchRequest({ tenant: 'single-tenant', traceIds: ['ABC', '0000000000000abc', 'ff', '1'], requestId: 'r-1' })
    expect(request).toEqual({
      tenant: 'single-tenant',
      requestId: 'r-1',
      maxBytesPerTrace: 5_000_000,
      traces: [
        { traceId: '00000000000000000000000000000001' },
        { traceId: '000000000000000000000000000000ff' },
        { traceId: '00000000000000000000000000000abc' },
      ],
    })
  })

  it('takes per-ID windows and keeps the widest on duplicates', () => {
    const request = parseBatchRequest({
      tenant: 't',
      traces: [{ id: 'a', start: 100, end: 200 }, { id: 'a', start: 50, end: 150 }, { id: 'b', start: 10, end: 20 }, { id: 'b' }, { id: 'c', start: 5 }],
      start: 1,
      end: 1000,
      requestId: 'x',
    })
    expect(request.start).toBe(1)
    expect(request.end).toBe(1000)
    expect(request.traces).toEqual([
      { traceId: '0000000000000000000000000000000a', start: 50, end: 200 },
      { traceId: '0000000000000000000000000000000b' },
      { traceId: '0000000000000000000000000000000c', start: 5 },
    ])
  })

  it('treats 0 as not sent and applies per-tenant and per-request size limits', () => {
    const options = { tenantMaxBytesPerTrace: { 'tenant-b': 100_000 } }
    const b = parseBatchRequest({ tenant: 'tenant-b', traceIds: ['1'], start: 0, end: 0, requestId: 'q' }, options)
    expect(b.start).toBeUndefined()
    expect(b.maxBytesPerTrace).toBe(100_000)
    expect(parseBatchRequest({ tenant: 'tenant-b', traceIds: ['1'], maxBytesPerTrace: 7 }, options).maxBytesPerTrace).toBe(7)
    expect(parseBatchRequest({ tenant: 'x', traceIds: ['1'] }, { limits: { maxBytesPerTrace: 9 } }).maxBytesPerTrace).toBe(9)
  })

  it('generates a request ID unless one is given', () => {
    expect(parseBatchRequest({ tenant: 't', traceIds: ['1'] }, { defaultRequestId: 'given' }).requestId).toBe('given')
    expect(parseBatchRequest({ tenant: 't', traceIds: ['1'] }).requestId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('rejects bad input naming the field', () => {
    expect(fieldOf(() => parseBatchRequest(null))).toBe('body')
    expect(fieldOf(() => parseBatchRequest({ tenant: '../x', traceIds: ['1'] }))).toBe('tenant')
    expect(fieldOf(() => parseBatchRequest({ tenant: 't' }))).toBe('traceIds')
    expect(fieldOf(() => parseBatchRequest({ tenant: 't', traceIds: [] }))).toBe('traceIds')
    expect(fieldOf(() => parseBatchRequest({ tenant: 't', traceIds: ['xyz'] }))).toBe('traceIds[0]')
    expect(fieldOf(() => parseBatchRequest({ tenant: 't', traceIds: ['1', '0'.repeat(33)] }))).toBe('traceIds[1]')
    expect(fieldOf(() => parseBatchRequest({ tenant: 't', traces: [{ id: 1 }] }))).toBe('traces[0].id')
    expect(fieldOf(() => parseBatchRequest({ tenant: 't', traces: [{ id: '1', start: 5, end: 5 }] }))).toBe('traces[0].start')
    expect(fieldOf(() => parseBatchRequest({ tenant: 't', traceIds: ['1'], start: 10, end: 9 }))).toBe('start')
    expect(fieldOf(() => parseBatchRequest({ tenant: 't', traceIds: ['1'], start: -1 }))).toBe('start')
    expect(fieldOf(() => parseBatchRequest({ tenant: 't', traceIds: ['1'], maxBytesPerTrace: 1.5 }))).toBe('maxBytesPerTrace')
    expect(fieldOf(() => parseBatchRequest({ tenant: 't', traceIds: ['1'], requestId: '../up' }))).toBe('requestId')
    expect(fieldOf(() => parseBatchRequest({ tenant: 't', traceIds: ['1', '2', '3'] }, { limits: { maxIds: 2 } }))).toBe('traceIds')
    expect(fieldOf(() => parseBatchRequest({ tenant: 't', traceIds: ['1'], traces: [] }))).toBe('traceIds')
  })

  it('accepts exactly the limit of distinct IDs (duplicates do not count)', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => i.toString(16))
    expect(parseBatchRequest({ tenant: 't', traceIds: [...ids, ...ids.slice(0, 10)] }).traces).toHaveLength(10_000)
  })
})

describe('validateRequestId', () => {
  it('allows safe key segments only', () => {
    expect(validateRequestId('abc-1_2.3')).toBe('abc-1_2.3')
    for (const bad of ['', '.hidden', 'a/b', 'a b', 'x'.repeat(129), 'é']) expect(() => validateRequestId(bad)).toThrow(InvalidRequestError)
  })

  it('writes a parsed request back as JSON that parses to the same request', () => {
    const plain = parseBatchRequest({ tenant: 't', traceIds: ['ABC', '1'], requestId: 'r-1', start: 100, end: 200 }, { tenantMaxBytesPerTrace: { t: 77 } })
    expect(requestToJson(plain)).toEqual({ tenant: 't', traceIds: [plain.traces[0]!.traceId, plain.traces[1]!.traceId], start: 100, end: 200, requestId: 'r-1', maxBytesPerTrace: 77 })
    expect(parseBatchRequest(requestToJson(plain))).toEqual(plain)
    const windowed = parseBatchRequest({ tenant: 't', traces: [{ id: 'a', start: 5, end: 9 }, 'b'] })
    expect(parseBatchRequest(JSON.parse(JSON.stringify(requestToJson(windowed))))).toEqual(windowed)
  })
})
