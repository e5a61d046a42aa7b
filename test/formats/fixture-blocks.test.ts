import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { describe, expect, it } from 'vitest'
import { isPreviewFormat, resolveFormat } from '../../functions/core/formats/registry.js'
import { traceToJson, traceV1Json } from '../../functions/core/otlp/json.js'
import type { Trace } from '../../functions/core/otlp/model.js'
import { traceIdToHex } from '../../functions/core/contract/trace-id.js'
import { readMeta } from '../goldens/golden-records.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoBlocksDir } from '../support/shared-fixtures.js'

/**
 * The canonical test blocks of Tempo's repository (`tempo-blocks`): one data set encoded as
 * vParquet2/3/4 and four vParquet5 previews. Every row converts, with the resource-span and span counts,
 * trace start/end and root span name of `DERIVED-trace-summaries.json`.
 */

interface DerivedBlock {
  block: string
  metaFormat: string
  traces: number
  rows: [string, number, number, string, string, string, string][]
}

const BLOCK_ID = 'b27b0e53-66a0-4505-afd6-434ae3cd4a10'
const PREVIEW_LABELS = new Set(['vparquet5', 'vParquet5-preview3', 'vParquet5-preview5'])
const FIXTURES = ['vParquet2', 'vParquet3', 'vParquet4', 'vparquet5-preview1', 'vParquet5-preview2', 'vParquet5-preview3', 'vParquet5-preview5']

async function convertBlock(fixture: string): Promise<Map<string, Trace>> {
  const dir = join(tempoBlocksDir, fixture, 'single-tenant', BLOCK_ID)
  const meta = readMeta(dir)
  const format = resolveFormat(meta)
  const file = await asyncBufferFromFile(join(dir, 'data.parquet'))
  const rows = (await parquetReadObjects({ file, compressors, utf8: false })) as Record<string, unknown>[]
  return new Map(rows.map((row) => [traceIdToHex(row.TraceID as Uint8Array), format.convertRow(row, meta)]))
}

function summarize(trace: Trace): { resourceSpans: number; spans: number; start: bigint; end: bigint; rootSpanName: string } {
  let spans = 0
  let start = 0n
  let end = 0n
  let rootSpanName = ''
  for (const rs of trace.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        spans++
        if (span.startTimeUnixNano !== 0n && (start === 0n || span.startTimeUnixNano < start)) start = span.startTimeUnixNano
        if (span.endTimeUnixNano > end) end = span.endTimeUnixNano
        if (!span.parentSpanId) rootSpanName = span.name ?? ''
      }
    }
  }
  return { resourceSpans: trace.resourceSpans?.length ?? 0, spans, start, end, rootSpanName }
}

describe.skipIf(!hasSharedFixtures)('tempo-blocks fixtures convert', () => {
  sharedFixturesSkipNote('tempo-blocks fixtures convert')
  const derived = hasSharedFixtures
    ? (JSON.parse(readFileSync(join(tempoBlocksDir, 'DERIVED-trace-summaries.json'), 'utf8')) as { blocks: DerivedBlock[] }).blocks
    : []

  for (const fixture of FIXTURES) {
    it(`${fixture}: counts, times and root span of every trace match the derived summaries`, async () => {
      const expected = derived.find((b) => b.block === `${fixture}/single-tenant/${BLOCK_ID}`)
      expect(expected).toBeDefined()
      const traces = await convertBlock(fixture)
      expect(traces.size).toBe(expected!.traces)
      for (const [id, resourceSpans, spans, , rootSpanName, start, end] of expected!.rows) {
        const trace = traces.get(id)
        expect(trace, id).toBeDefined()
        expect(summarize(trace!), id).toEqual({ resourceSpans, spans, start: BigInt(start), end: BigInt(end), rootSpanName })
      }
      // The preview2 fixture is labelled plain `vParquet5`, so only its row shape says "preview".
      const label = readMeta(join(tempoBlocksDir, fixture, 'single-tenant', BLOCK_ID)).format
      expect(isPreviewFormat(label)).toBe(PREVIEW_LABELS.has(label))
    }, 60_000)
  }

  it('vParquet3 and vParquet4 encodings of the same data convert to identical JSON', async () => {
    const v3 = await convertBlock('vParquet3')
    const v4 = await convertBlock('vParquet4')
    expect(v3.size).toBe(134)
    for (const [id, trace] of v3) expect(traceToJson(v4.get(id)!), id).toBe(traceToJson(trace))
  }, 60_000)

  it('vParquet4 trace 000000000000000000474be8b43449fb matches the spec §6.6 example', async () => {
    const trace = (await convertBlock('vParquet4')).get('000000000000000000474be8b43449fb')!
    const firstBatch =
      '{"resource":{"attributes":[' +
      '{"key":"host.name","value":{"stringValue":"f2951fd6ef8d"}},' +
      '{"key":"opencensus.exporterversion","value":{"stringValue":"Jaeger-Java-0.28.0"}},' +
      '{"key":"ip","value":{"stringValue":"172.26.0.5"}},' +
      '{"key":"service.name","value":{"stringValue":"productcatalogservice"}}]},' +
      '"scopeSpans":[{"scope":{},"spans":[{' +
      '"traceId":"AAAAAAAAAAAAR0votDRJ+w==","spanId":"c2/ijFMFG78=","parentSpanId":"SJKQxc9mIQk=",' +
      '"name":"/GetProducts","startTimeUnixNano":"1656933075267000000","endTimeUnixNano":"1656933075357000000",' +
      '"attributes":[' +
      '{"key":"instance","value":{"stringValue":"productcatalogservice-6b654dbf57-zq8dt"}},' +
      '{"key":"version","value":{"stringValue":"v52"}},' +
      '{"key":"region","value":{"stringValue":"us-east-1"}},' +
      '{"key":"http.method","value":{"stringValue":"GET"}},' +
      '{"key":"http.url","value":{"stringValue":"http://productcatalogservice/GetProducts"}}],' +
      '"status":{}}]}]}'
    expect(traceV1Json(trace).startsWith(`{"batches":[${firstBatch},`)).toBe(true)
  }, 60_000)
})
