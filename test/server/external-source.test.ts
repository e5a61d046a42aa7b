import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dedupeSpanIds } from '../../functions/core/combine/span-id-dedupe.js'
import { mapLimit } from '../../functions/core/batch/map-limit.js'
import { BlockObjects, TempoLayout } from '../../functions/core/storage/layout.js'
import { decodeTrace, encodeTrace, traceProtoSize } from '../../functions/core/otlp/protobuf.js'
import type { ByteRange, ObjectStore } from '../../functions/core/storage/object-store.js'
import type { GeneratedTenantSummary } from '../../functions/generator/generate-tenant.js'
import type { RunningServer } from '../../functions/server/server.js'
import { canonical, canonicalFromTempoJson, TracesData } from '../support/otlp-reference.js'
import { ExternalQueryError, tempoExternalTraceById } from '../support/tempo-external-client.js'
import { generatedStore, GENERATED, serveStore } from './generated-server.js'

const tenant = GENERATED.tenant

/** What Tempo's frontend makes of the external shard's trace when it is the only source (the Zipkin step). */
function frontendView(body: Uint8Array): Record<string, unknown> {
  return canonical(TracesData, TracesData.decode(encodeTrace(dedupeSpanIds(decodeTrace(body)))))
}

async function v2Trace(server: RunningServer, traceId: string, query = ''): Promise<{ trace: object; status?: string }> {
  const response = await fetch(`${server.url}/api/v2/traces/${traceId}${query}`, { headers: { 'X-Scope-OrgID': tenant } })
  return (await response.json()) as { trace: object; status?: string }
}

/** Fails every read of one block's data.parquet, as a lost or unreadable object would. */
class FailingBlockStore implements ObjectStore {
  readonly description: string
  constructor(
    private readonly inner: ObjectStore,
    private readonly failingKey: string,
  ) {
    this.description = inner.description
  }
  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    if (key === this.failingKey) throw new Error('connection reset by peer')
    return this.inner.get(key, range)
  }
  head = (key: string) => this.inner.head(key)
  list = (prefix: string) => this.inner.list(prefix)
  listFolders = (prefix: string) => this.inner.listFolders(prefix)
  put = (key: string, body: Uint8Array) => this.inner.put(key, body)
  putStream = (key: string, body: AsyncIterable<Uint8Array>) => this.inner.putStream(key, body)
}

describe('serve as Tempo v3\'s external trace source (/external), through a stand-in for Tempo\'s client', () => {
  let summary: GeneratedTenantSummary
  let store: ObjectStore
  let server: RunningServer
  let endpoint: string
  beforeAll(async () => {
    ;({ store, summary } = await generatedStore())
    server = await serveStore(store)
    endpoint = `${server.url}/external`
  })
  afterAll(async () => {
    await server?.close()
  })

  // Body sizes seen by the first test, for the size-limit test.
  const sizes = new Map<string, number>()

  it('found: 200 with a tempopb.Trace the reference decoder reads; after Tempo\'s frontend step it equals our /api/v2 answer', { timeout: 300_000 }, async () => {
    let renamed = 0
    for (const traceId of summary.traceIds) {
      const answer = await tempoExternalTraceById(endpoint, { tenant, traceIdHex: traceId })
      sizes.set(traceId, answer.body.length)
      expect(answer.status).toBe(200)
      expect(answer.partial).toBe(false)
      const expected = canonicalFromTempoJson((await v2Trace(server, traceId)).trace)
      expect(frontendView(answer.body), traceId).toEqual(expected)
      // The external answer is a querier's: Zipkin-shared span IDs are left for Tempo's frontend.
      if (JSON.stringify(answer.trace) !== JSON.stringify(expected)) renamed++
    }
    expect(summary.splitTraceIds.length + summary.replicatedTraceIds.length).toBeGreaterThan(0)
    console.info(`[external] ${summary.traceIds.length} traces; ${renamed} keep Zipkin-shared span IDs for Tempo's frontend`)
  })

  it('absent: 404 with an empty body, which Tempo reads as an empty trace', async () => {
    const response = await fetch(`${endpoint}/api/traces/${'0'.repeat(31)}1`, { headers: { 'X-Scope-OrgID': tenant, Accept: 'application/protobuf' } })
    expect(response.status).toBe(404)
    expect((await response.arrayBuffer()).byteLength).toBe(0)
    const answer = await tempoExternalTraceById(endpoint, { tenant, traceIdHex: 'ffffffffffffffffffffffffffffffff' })
    expect(answer.status).toBe(404)
    expect(answer.trace.resourceSpans).toBeUndefined()
    const otherTenant = await tempoExternalTraceById(endpoint, { tenant: 'tenant-we-never-archived', traceIdHex: summary.traceIds[0]! })
    expect(otherTenant.status).toBe(404)
  })

  it('windowed: start/end as Tempo sends them (only when set, keys sorted) prune blocks as our /api/v2 does', async () => {
    const meta = summary.metas[0]!
    const start = Number(meta.startTimeUnixNano / 1_000_000_000n)
    const end = start + 1
    const statuses: number[] = []
    for (const traceId of summary.traceIds.slice(0, 30)) {
      const answer = await tempoExternalTraceById(endpoint, { tenant, traceIdHex: traceId, start, end })
      const v2 = await v2Trace(server, traceId, `?start=${start}&end=${end}`)
      expect(answer.status, traceId).toBe(Object.keys(v2.trace).length > 0 ? 200 : 404)
      if (answer.status === 200) expect(frontendView(answer.body)).toEqual(canonicalFromTempoJson(v2.trace))
      statuses.push(answer.status)
    }
    // One second at the first block's start keeps that block only: some IDs are in it, some only elsewhere.
    expect(new Set(statuses)).toEqual(new Set([200, 404]))
    expect((await tempoExternalTraceById(endpoint, { tenant, traceIdHex: summary.traceIds[0]!, start: 1000, end: 2000 })).status).toBe(404)
    await expect(tempoExternalTraceById(endpoint, { tenant, traceIdHex: summary.traceIds[0]!, start: 2000, end: 1000 })).rejects.toThrow(/status 400/)
  })

  it('too large: 200 with the trace combined up to the limit, so Tempo\'s own combiner flags it (v2 PARTIAL, v1 422)', { timeout: 120_000 }, async () => {
    const largest = [...sizes].map(([id, size]) => ({ id, size })).reduce((a, b) => (b.size > a.size ? b : a))
    const limit = Math.floor(largest.size / 2)
    const small = await serveStore(store, { lookup: { tempoStore: store, layout: new TempoLayout(''), tenantMaxBytesPerTrace: { [tenant]: limit } } })
    try {
      const answer = await tempoExternalTraceById(`${small.url}/external`, { tenant, traceIdHex: largest.id, maxBytes: limit })
      expect(answer.status).toBe(200)
      expect(answer.body.length).toBeGreaterThan(limit)
      expect(answer.partial).toBe(true)
      const v2 = await v2Trace(small, largest.id)
      expect(v2.status).toBe('PARTIAL')
      expect(frontendView(answer.body)).toEqual(canonicalFromTempoJson(v2.trace))
      expect(traceProtoSize(decodeTrace(answer.body))).toBe(answer.body.length)
      await expect(tempoExternalTraceById(`${small.url}/external`, { tenant, traceIdHex: largest.id, maxBytes: limit, allowPartial: false })).rejects.toThrow(
        `trace exceeds max size (max bytes: ${limit})`,
      )
    } finally {
      await small.close()
    }
  })

  it('a block that cannot be read fails the query with a 500 (as Tempo\'s own block errors do), never a wrong 404', { timeout: 300_000 }, async () => {
    const layout = new TempoLayout('')
    const blockId = summary.blocks[0]!.blockId
    const failing = new FailingBlockStore(store, layout.blockObject(tenant, blockId, BlockObjects.data))
    const faulty = await serveStore(failing)
    try {
      // IDs the broken block may hold fail; the others still come back; none is a wrong 404.
      const outcomes = await mapLimit(summary.traceIds, 4, (id) =>
          tempoExternalTraceById(`${faulty.url}/external`, { tenant, traceIdHex: id }).then(
            (a) => a.status,
            (error: unknown) => (error instanceof ExternalQueryError ? error.message : String(error)),
          ),
      )
      const failed = outcomes.filter((o) => typeof o === 'string')
      expect(failed.length).toBeGreaterThan(0)
      expect(outcomes.filter((o) => o === 200).length).toBeGreaterThan(0)
      expect(outcomes).not.toContain(404)
      for (const message of failed) expect(message).toMatch(/^external endpoint returned status 500: tempo-batch: .*connection reset by peer/)
    } finally {
      await faulty.close()
    }
  })

  it('a lookup that cannot finish in time answers 504 at the deadline instead of hanging past Tempo\'s timeout', async () => {
    let release!: () => void
    const stalled = new Promise<void>((resolve) => (release = resolve))
    const stalling: ObjectStore = Object.create(store) as ObjectStore
    stalling.get = async (key, range) => {
      await stalled
      return store.get(key, range)
    }
    const slow = await serveStore(stalling, { externalTimeoutMs: 200 })
    try {
      await expect(tempoExternalTraceById(`${slow.url}/external`, { tenant, traceIdHex: summary.traceIds[0]! })).rejects.toThrow(/status 504: tempo-batch: no answer within 200 ms/)
    } finally {
      release()
      await slow.close()
    }
  })

  it('a lookup answered 504 stops reading: its readers get the same deadline', async () => {
    // Every block read is slow; note when each one starts (the block list's own refreshes are not counted).
    const started: number[] = []
    const slowReads: ObjectStore = Object.create(store) as ObjectStore
    slowReads.get = async (key, range) => {
      if (key.endsWith('data.parquet') || key.includes('bloom')) {
        started.push(Date.now())
        await new Promise((resolve) => setTimeout(resolve, 150))
      }
      return store.get(key, range)
    }
    const slow = await serveStore(slowReads, { externalTimeoutMs: 200 })
    try {
      await expect(tempoExternalTraceById(`${slow.url}/external`, { tenant, traceIdHex: summary.traceIds[0]! })).rejects.toThrow(/status 504/)
      const answeredAt = Date.now()
      await new Promise((resolve) => setTimeout(resolve, 2_000))
      // A read in flight at the deadline may finish (and the page it brings may be decoded); none starts after.
      expect(started.filter((at) => at > answeredAt + 100)).toEqual([])
    } finally {
      await slow.close()
    }
  })

  it('answers protobuf whatever Accept says, and only GET', async () => {
    const url = `${endpoint}/api/traces/${summary.traceIds[0]}`
    const json = await fetch(url, { headers: { 'X-Scope-OrgID': tenant, Accept: 'application/json' } })
    expect(json.status).toBe(200)
    expect(json.headers.get('content-type')).toBe('application/protobuf')
    expect((await fetch(url, { method: 'POST' })).status).toBe(405)
  })
})
