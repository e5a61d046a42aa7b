import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InProcessInvoker } from '../../functions/core/batch/in-process-invoker.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { startServer, type RunningServer } from '../../functions/server/server.js'
import { writeSmallTenant } from '../support/small-tenant.js'
import { canonical, canonicalFromTempoJson, TracesData } from '../support/otlp-reference.js'

/**
 * Issue 14: protobuf answers were checked only with our own decoder. Here the server's
 * `Accept: application/protobuf` answers of `/api/traces/{id}` (a `tempopb.Trace`, wire-identical to OTLP's
 * `TracesData`) are decoded by the protobufjs code the OpenTelemetry SDK generated from the official
 * definitions, and must say exactly what the v2 JSON answer says.
 */

const store = new MemoryStore()
let ids: string[] = []
let server: RunningServer

beforeAll(async () => {
  ids = (await writeSmallTenant(store, 'demo', 201)).traceIds.slice(0, 12)
  const layout = new TempoLayout('')
  const resultStore = new MemoryStore()
  server = await startServer({
    port: 0,
    batch: { tempoStore: store, layout, resultStore, resultsPrefix: 'results', invoker: new InProcessInvoker({ tempoStore: store, layout, resultStore }) },
    lookup: { tempoStore: store, layout },
  })
})
afterAll(async () => {
  await server?.close()
})

describe('protobuf answers through an independent decoder', () => {
  it('every /api/traces/{id} protobuf answer decodes (official OTLP definitions) to the JSON answer', async () => {
    for (const id of ids) {
      const headers = { 'x-scope-orgid': 'demo' }
      const proto = await fetch(`${server.url}/api/traces/${id}`, { headers: { ...headers, accept: 'application/protobuf' } })
      expect(proto.status).toBe(200)
      expect(proto.headers.get('content-type')).toBe('application/protobuf')
      const decoded = canonical(TracesData, TracesData.decode(new Uint8Array(await proto.arrayBuffer())))
      // v2's JSON carries the trace as OTLP's `resourceSpans` (v1's JSON calls them `batches`).
      const json = (await (await fetch(`${server.url}/api/v2/traces/${id}`, { headers })).json()) as { trace: object }
      expect(decoded, id).toEqual(canonicalFromTempoJson(json.trace))
      expect((decoded.resourceSpans as unknown[]).length).toBeGreaterThan(0)
    }
  })
})
