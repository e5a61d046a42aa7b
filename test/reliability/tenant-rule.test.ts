import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InProcessInvoker } from '../../functions/core/batch/in-process-invoker.js'
import { InvalidTenantError } from '../../functions/core/contract/errors.js'
import { TempoLayout, validateTenant } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { startServer, type RunningServer } from '../../functions/server/server.js'
import { RecordingStore } from './support/recording-store.js'

/**
 * Issue 11: tenant IDs by Tempo's rule (dskit's tenant.ValidTenantID): letters, digits and ! - _ . * ' ( ),
 * at most 150 bytes, never "." or "..". One validator, called before any storage call.
 */

const ALLOWED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!-_.*'()"

describe("Tempo's tenant rule", () => {
  it.each(['single-tenant', 'a', 'team_a.prod', "o'neil", '(x)*!', 'x'.repeat(150), '...', '.a', 'a..b', '__proto__', 'constructor'])('accepts %j', (tenant) => {
    expect(validateTenant(tenant)).toBe(tenant)
  })

  it.each(['%2e%2e', 'a%b', 'a:b', 'a/b', 'a\\b', 'a b', 'a|b', 'é', '.', '..', '', 'x'.repeat(151), 'tab\there', 'a\nb', '\u0000', 'tempo_cluster_seed.json'])('refuses %j', (tenant) => {
    expect(() => validateTenant(tenant)).toThrow(InvalidTenantError)
  })

  it('agrees with the rule on 5,000 generated strings (fixed seed)', () => {
    const candidate = fc.oneof(
      fc.string({ unit: fc.constantFrom(...ALLOWED), minLength: 0, maxLength: 160 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.string({ unit: fc.constantFrom(...ALLOWED, ...'%:/\\ |@#$&+,;=?[]{}<>"`~^\t\u00e9\u0000'), maxLength: 30 }),
    )
    fc.assert(
      fc.property(candidate, (tenant) => {
        const byRule = tenant.length >= 1 && tenant.length <= 150 && [...tenant].every((c) => ALLOWED.includes(c)) && tenant !== '.' && tenant !== '..' && tenant !== 'tempo_cluster_seed.json' && tenant !== 'work.json'
        let accepted = true
        try {
          validateTenant(tenant)
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidTenantError)
          accepted = false
        }
        expect(accepted).toBe(byRule)
      }),
      { seed: 1411, numRuns: 5_000 },
    )
  })
})

describe('the local server refuses the tenants of issue 11 before any storage call', () => {
  let server: RunningServer
  const tempo = new RecordingStore(new MemoryStore())
  const results = new RecordingStore(new MemoryStore())
  beforeAll(async () => {
    const layout = new TempoLayout('')
    server = await startServer({
      port: 0,
      batch: { tempoStore: tempo, layout, resultStore: results, resultsPrefix: 'results', invoker: new InProcessInvoker({ tempoStore: tempo, layout, resultStore: results }) },
      lookup: { tempoStore: tempo, layout },
    })
  })
  afterAll(async () => {
    await server?.close()
  })

  it.each(['%2e%2e', 'a%b', 'a:b', '..', 'a|b'])('X-Scope-OrgID %j: 400 naming the tenant on every endpoint', async (tenant) => {
    for (const path of ['/api/traces/1', '/api/v2/traces/1']) {
      const response = await fetch(server.url + path, { headers: { 'X-Scope-OrgID': tenant } })
      expect(response.status, path).toBe(400)
      expect(((await response.json()) as { field: string }).field).toBe('tenant')
    }
    const batch = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'X-Scope-OrgID': tenant, 'content-type': 'application/json' }, body: '{"traceIds":["1"]}' })
    expect(batch.status).toBe(400)
    expect(((await batch.json()) as { field: string }).field).toBe('tenant')
    expect([...tempo.calls, ...results.calls]).toEqual([])
  })
})
