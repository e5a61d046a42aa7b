import { describe, expect, it } from 'vitest'
import { InvalidRequestError, RequestConflictError, StorageError } from '../../functions/core/contract/errors.js'
import { errorResponse, httpStatusOf } from '../../functions/handlers/shared/http-errors.js'
import { RequestTooLargeError, TenantNotAllowedError, parseDeploymentRequest } from '../../functions/handlers/shared/request.js'
import type { CoordinatorConfig } from '../../functions/config/read-config.js'

const config: CoordinatorConfig = {
  tempoBucket: 't', tempoPrefix: '', resultBucket: 'r', resultPrefix: 'results', readerFunction: 'reader',
  allowedTenants: ['a'], maxIds: 3, tenantMaxBytesPerTrace: { a: 1234 },
}

describe('API error mapping', () => {
  it('maps caller mistakes to 400/403/413 with the message and field', () => {
    expect(httpStatusOf(new InvalidRequestError('traceIds', 'is empty'))).toBe(400)
    expect(httpStatusOf(new TenantNotAllowedError('b'))).toBe(403)
    expect(httpStatusOf(new RequestTooLargeError('body', 'too big'))).toBe(413)
    const conflict = errorResponse(new RequestConflictError('R', 'a'), 'req-1')
    expect(conflict.statusCode).toBe(409)
    expect(JSON.parse(conflict.body)).toMatchObject({ field: 'requestId', error: expect.stringContaining('already names a different request') })
    const response = errorResponse(new InvalidRequestError('traceIds[2]', 'bad hex'), 'req-1')
    expect(response.statusCode).toBe(400)
    expect(JSON.parse(response.body)).toEqual({ error: 'invalid request: traceIds[2]: bad hex', field: 'traceIds[2]', requestId: 'req-1' })
  })

  it('maps throttling anywhere in the cause chain to 429 with Retry-After', () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' })
    const wrapped = new StorageError('tempo/x/meta.json', 'get failed after 5 attempts', { cause: Object.assign(new Error('slow down'), { name: 'SlowDown' }) })
    expect(httpStatusOf(throttled)).toBe(429)
    expect(httpStatusOf(wrapped)).toBe(429)
    const response = errorResponse(wrapped, 'req-2')
    expect(response.statusCode).toBe(429)
    expect(response.headers?.['retry-after']).toBe('5')
  })

  it('answers anything else with a generic 500 that carries no message internals or stack', () => {
    const error = new TypeError("Cannot read properties of undefined (reading 'blocks')")
    const response = errorResponse(error, 'req-3')
    expect(response.statusCode).toBe(500)
    expect(response.body).not.toContain('blocks')
    expect(response.body).not.toMatch(/\bat\b.*\.(ts|js):\d+/)
    expect(JSON.parse(response.body)).toMatchObject({ requestId: 'req-3' })
  })
})

describe('deployment request rules', () => {
  it('applies the distinct-ID limit after folding duplicates, tenant allow-list and per-tenant byte limits', () => {
    const request = parseDeploymentRequest({ tenant: 'a', traceIds: ['1', '01', '2', '3'] }, config, 'msg-1')
    expect(request.traces.map((t) => t.traceId)).toEqual(['00000000000000000000000000000001', '00000000000000000000000000000002', '00000000000000000000000000000003'])
    expect(request.requestId).toBe('msg-1')
    expect(request.maxBytesPerTrace).toBe(1234)
    expect(() => parseDeploymentRequest({ tenant: 'a', traceIds: ['1', '2', '3', '4'] }, config)).toThrow(RequestTooLargeError)
    expect(() => parseDeploymentRequest({ tenant: 'b', traceIds: ['1'] }, config)).toThrow(TenantNotAllowedError)
  })
})
