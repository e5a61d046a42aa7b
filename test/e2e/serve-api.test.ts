import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../functions/server/server.js'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'
import { loadGoldens } from './goldens.js'
import { startFor } from './goldens-serve.js'

sharedFixturesSkipNote('serve api')

describe.skipIf(!hasSharedFixtures)('serve', () => {
  describe('bad input and the batch endpoint', () => {
    let server: RunningServer
    beforeAll(async () => {
      server = await startFor('vParquet4')
    })
    afterAll(async () => {
      await server?.close()
    })

    it('rejects bad IDs, windows and bodies with a 400 naming the field, never a 5xx', async () => {
      const cases: [string, RequestInit | undefined, string][] = [
        ['/api/v2/traces/xyz', undefined, 'traceId'],
        ['/api/traces/' + 'a'.repeat(33), undefined, 'traceId'],
        ['/api/v2/traces/abc?start=10&end=5', undefined, 'end'],
        ['/api/v2/traces/abc?start=ten', undefined, 'start'],
        ['/v1/batch', { method: 'POST', body: '{' }, 'body'],
        ['/v1/batch', { method: 'POST', body: JSON.stringify({ tenant: '../x', traceIds: ['1'] }) }, 'tenant'],
        ['/v1/batch', { method: 'POST', body: JSON.stringify({ tenant: 't', traceIds: 'abc' }) }, 'traceIds'],
      ]
      for (const [path, init, field] of cases) {
        const response = await fetch(server.url + path, init)
        expect(response.status, path).toBe(400)
        const body = (await response.json()) as { field: string; error: string }
        expect(body.field, path).toBe(field)
        expect(body.error).not.toMatch(/\n\s+at /)
      }
      const tenant = await fetch(`${server.url}/api/v2/traces/abc`, { headers: { 'X-Scope-OrgID': 'a/b' } })
      expect(tenant.status).toBe(400)
    })

    it('POST /v1/batch returns the manifest and the lines inline, idempotently', async () => {
      const records = loadGoldens('vParquet4', 'tenant-b').filter((r) => !r.start && !r.end).slice(0, 5)
      const body = JSON.stringify({ tenant: 'tenant-b', traceIds: records.map((r) => r.traceId), requestId: 'inline-1' })
      const first = await fetch(`${server.url}/v1/batch`, { method: 'POST', body })
      expect(first.status).toBe(200)
      const answer = (await first.json()) as { manifest: { counts: { requested: number } }; reused: boolean; result: { inline: boolean; lines: { traceId: string; trace?: unknown }[] } }
      expect(answer.reused).toBe(false)
      expect(answer.manifest.counts.requested).toBe(5)
      expect(answer.result.inline).toBe(true)
      const byId = new Map(answer.result.lines.map((l) => [l.traceId, l]))
      for (const record of records) expect(byId.get(record.traceId)?.trace ?? {}).toEqual(record.v2.trace)
      const again = (await (await fetch(`${server.url}/v1/batch`, { method: 'POST', body })).json()) as { reused: boolean }
      expect(again.reused).toBe(true)
    })
  })
})
