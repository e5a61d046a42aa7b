import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dedupeSpanIds } from '../../functions/core/combine/span-id-dedupe.js'
import { mapLimit } from '../../functions/core/batch/map-limit.js'
import { parseTraceId, traceIdToHex } from '../../functions/core/contract/trace-id.js'
import { decodeTrace, encodeTrace } from '../../functions/core/otlp/protobuf.js'
import type { RunningServer } from '../../functions/server/server.js'
import { canonical, canonicalFromTempoJson, TracesData } from '../support/otlp-reference.js'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'
import { tempoExternalTraceById } from '../support/tempo-external-client.js'
import { loadGoldens, TENANT_LIMITS, TENANTS } from './goldens.js'
import { startFor } from './goldens-serve.js'

sharedFixturesSkipNote('e2e goldens through the external (querier-facing) path')

const FORMAT = 'vParquet4'

describe.skipIf(!hasSharedFixtures)(`every ${FORMAT} golden through /external, as Tempo's querier and frontend would use it`, () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startFor(FORMAT)
  })
  afterAll(async () => {
    await server?.close()
  })

  it('found: identical after the frontend\'s Zipkin step; absent: 404; too large: 200 that Tempo\'s combiner flags PARTIAL', { timeout: 400_000 }, async () => {
    const mismatches: string[] = []
    let matched = 0
    let zipkinLeftToFrontend = 0
    for (const tenant of TENANTS) {
      await mapLimit(loadGoldens(FORMAT, tenant), 4, async (record) => {
        const where = `${tenant} ${record.traceId} [${record.start},${record.end}] ${record.category}`
        // Tempo's frontend parses the user's ID and hands the querier 16 bytes: the external call is 32 hex.
        const traceIdHex = traceIdToHex(parseTraceId(record.traceIdShort ?? record.traceId, 'traceId'))
        const maxBytes = TENANT_LIMITS[tenant] ?? 5_000_000
        const answer = await tempoExternalTraceById(`${server.url}/external`, { tenant, traceIdHex, start: record.start, end: record.end, maxBytes })
        const want = record.v2.trace as object
        if (Object.keys(want).length === 0) {
          if (answer.status !== 404 || answer.body.length !== 0) mismatches.push(`${where}: want 404, got ${answer.status}`)
          else matched++
          return
        }
        const frontend = canonical(TracesData, TracesData.decode(encodeTrace(dedupeSpanIds(decodeTrace(answer.body)))))
        if (answer.status !== 200) mismatches.push(`${where}: status ${answer.status}`)
        else if (JSON.stringify(frontend) !== JSON.stringify(canonicalFromTempoJson(want))) mismatches.push(`${where}: trace differs`)
        else if (answer.partial !== (record.v2.status === 'PARTIAL')) mismatches.push(`${where}: Tempo would flag partial=${answer.partial}`)
        else matched++
        if (JSON.stringify(answer.trace) !== JSON.stringify(frontend)) zipkinLeftToFrontend++
      })
    }
    console.info(`[goldens ${FORMAT}] external matched ${matched}; ${zipkinLeftToFrontend} left Zipkin renaming to Tempo's frontend`)
    expect(mismatches.slice(0, 20)).toEqual([])
    expect(matched).toBe(771)
    expect(zipkinLeftToFrontend).toBeGreaterThan(0)
  })
})
