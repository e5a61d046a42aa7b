import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { cachedDiscovery } from '../../functions/core/batch/cached-discovery.js'
import { InProcessInvoker } from '../../functions/core/batch/in-process-invoker.js'
import { mapLimit } from '../../functions/core/batch/map-limit.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { decodeTraceByIdResponse, decodeTrace } from '../../functions/core/otlp/protobuf.js'
import { traceToJson } from '../../functions/core/otlp/json.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { startServer, type RunningServer } from '../../functions/server/server.js'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'
import { backendRoot, type FORMATS, loadGoldens, TENANT_LIMITS, TENANTS, type GoldenRecord } from './goldens.js'


function query(record: GoldenRecord): string {
  const params = new URLSearchParams()
  if (record.start) params.set('start', String(record.start))
  if (record.end) params.set('end', String(record.end))
  const qs = params.toString()
  return `${record.traceIdShort ?? record.traceId}${qs ? `?${qs}` : ''}`
}

/** A server over one format's backend root with in-memory results. */
export async function startFor(format: string): Promise<RunningServer> {
  const tempoStore = new FsStore(backendRoot(format))
  const layout = new TempoLayout('')
  const resultStore = new MemoryStore()
  return startServer({
    port: 0,
    batch: { tempoStore, layout, resultStore, resultsPrefix: 'results', invoker: new InProcessInvoker({ tempoStore, layout, resultStore }), discovery: { compactedGraceMs: 0 } },
    lookup: { tempoStore, layout, discover: cachedDiscovery(tempoStore, layout, { compactedGraceMs: 0, ttlMs: 600_000 }), tenantMaxBytesPerTrace: TENANT_LIMITS },
  })
}

export function goldensThroughServe(format: (typeof FORMATS)[number]): void {
  sharedFixturesSkipNote('e2e goldens through serve')
  describe.skipIf(!hasSharedFixtures)(`serve answers every ${format} golden query as Tempo does`, () => {
    let server: RunningServer
    beforeAll(async () => {
      server = await startFor(format)
    })
    afterAll(async () => {
      await server?.close()
    })

    it('GET /api/v2/traces/{id} and /api/traces/{id}: status codes and bodies equal the goldens', { timeout: 400_000 }, async () => {
      const matched: Record<string, { v2: number; v1: number }> = {}
      const mismatches: string[] = []
      for (const tenant of TENANTS) {
        const counts = { v2: 0, v1: 0 }
        await mapLimit(loadGoldens(format, tenant), 4, async (record) => {
          const where = `${tenant} ${record.traceId} [${record.start},${record.end}] ${record.category}`
          const headers = { 'X-Scope-OrgID': tenant, Accept: 'application/json' }
          const v2 = await fetch(`${server.url}/api/v2/traces/${query(record)}`, { headers })
          const v2Body = (await v2.json()) as GoldenRecord['v2']
          const { metrics: _m, ...got } = v2Body
          const { metrics: _w, ...want } = record.v2
          if (v2.status !== record.v2HttpStatus) mismatches.push(`${where}: v2 http ${v2.status}`)
          else if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${where}: v2 body differs`)
          else counts.v2++

          const v1 = await fetch(`${server.url}/api/traces/${query(record)}`, { headers })
          const v1Text = await v1.text()
          if (v1.status !== record.v1HttpStatus) mismatches.push(`${where}: v1 http ${v1.status} want ${record.v1HttpStatus}`)
          else if (v1.status === 200 && JSON.stringify(JSON.parse(v1Text)) !== JSON.stringify(record.v1)) mismatches.push(`${where}: v1 body differs`)
          else if (v1.status === 404 && v1Text !== '') mismatches.push(`${where}: v1 404 body not empty`)
          else if (v1.status === 422 && !v1Text.includes(`trace exceeds max size (max bytes: ${record.maxBytesPerTrace})`)) mismatches.push(`${where}: v1 422 body ${v1Text}`)
          else counts.v1++
        })
        matched[tenant] = counts
      }
      console.info(`[goldens ${format}] serve matched`, matched, mismatches.length ? `mismatches: ${mismatches.length}` : '')
      expect(mismatches.slice(0, 20)).toEqual([])
      expect(matched).toEqual({ 'single-tenant': { v2: 656, v1: 656 }, 'tenant-b': { v2: 115, v1: 115 } })
    })

    it('answers protobuf when asked, with the same trace', async () => {
      const records = loadGoldens(format, 'tenant-b').filter((r) => r.v1HttpStatus !== 404).slice(0, 10)
      for (const record of records) {
        const headers = { 'X-Scope-OrgID': 'tenant-b', Accept: 'application/protobuf' }
        const v2 = await fetch(`${server.url}/api/v2/traces/${query(record)}`, { headers })
        expect(v2.headers.get('content-type')).toBe('application/protobuf')
        const decoded = decodeTraceByIdResponse(new Uint8Array(await v2.arrayBuffer()))
        expect(JSON.parse(traceToJson(decoded.trace ?? {}))).toEqual(record.v2.trace)
        if (record.v1HttpStatus === 200) {
          const v1 = await fetch(`${server.url}/api/traces/${query(record)}`, { headers })
          expect(JSON.parse(traceToJson(decodeTrace(new Uint8Array(await v1.arrayBuffer()))))).toEqual(record.v2.trace)
        }
      }
    })
  })
}
