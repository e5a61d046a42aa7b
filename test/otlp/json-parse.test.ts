import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { traceByIdV2Json, traceByIdV2JsonAround, traceJsonToV1, traceToJson, traceV1Json } from '../../functions/core/otlp/json.js'
import { traceFromJson } from '../../functions/core/otlp/json-parse.js'
import { TraceJsonError } from '../../functions/core/otlp/json-values.js'
import { rawMember, readGoldens } from '../goldens/golden-records.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoGeneratedDir } from '../support/shared-fixtures.js'

/** `traceFromJson` is the exact inverse of `traceToJson` on every Tempo golden, and the v1/v2 envelopes are byte-exact. */

const correctnessDir = join(tempoGeneratedDir, 'correctness')

describe.skipIf(!hasSharedFixtures)('traceFromJson round trips every golden', () => {
  sharedFixturesSkipNote('traceFromJson round trips')
  for (const format of ['vParquet3', 'vParquet4', 'vParquet5']) {
    for (const tenant of ['single-tenant', 'tenant-b']) {
      it(`${format} ${tenant}: v2 and v1 bodies re-serialise byte for byte`, () => {
        const records = readGoldens(correctnessDir, format, tenant)
        expect(records.length).toBe(tenant === 'single-tenant' ? 656 : 115)
        let v1Bodies = 0
        for (const record of records) {
          const trace = traceFromJson(record.v2.trace)
          const metrics = record.v2.metrics as { inspectedBytes?: string }
          // Not-found bodies carry `"trace":{}`; pass undefined for those to cover that path too.
          const found = Object.keys(record.v2.trace as object).length > 0
          const options = {
            partial: record.v2.status === 'PARTIAL',
            message: record.v2.message,
            inspectedBytes: metrics.inspectedBytes === undefined ? undefined : BigInt(metrics.inspectedBytes),
          }
          const body = traceByIdV2Json(found ? trace : undefined, options)
          expect(body, record.traceId).toBe(rawMember(record.raw, ['v2']))
          // The same body around the trace's JSON as readers wrote it (the server's lookups).
          expect(traceByIdV2JsonAround(rawMember(record.raw, ['v2', 'trace']), options), record.traceId).toBe(rawMember(record.raw, ['v2']))
          if (record.v1 !== null) {
            v1Bodies++
            expect(traceV1Json(traceFromJson(record.v1)), record.traceId).toBe(rawMember(record.raw, ['v1']))
            expect(traceJsonToV1(rawMember(record.raw, ['v2', 'trace'])), record.traceId).toBe(rawMember(record.raw, ['v1']))
          }
        }
        expect(v1Bodies).toBeGreaterThan(0)
      }, 60_000)
    }
  }
})

describe('traceFromJson', () => {
  it('reads 64-bit values, bytes, enums and special doubles losslessly', () => {
    const json =
      '{"resourceSpans":[{"resource":{"attributes":[{"key":"d","value":{"doubleValue":-0}},{"key":"n","value":{"doubleValue":"NaN"}},' +
      '{"key":"i","value":{"intValue":"-9223372036854775808"}},{"key":"b","value":{"bytesValue":"AAE="}}],"droppedAttributesCount":2},' +
      '"scopeSpans":[{"scope":{},"spans":[{"traceId":"AAAAAAAAAAAAR0votDRJ+w==","spanId":"c2/ijFMFG78=","kind":"SPAN_KIND_CLIENT",' +
      '"startTimeUnixNano":"18446744073709551615","endTimeUnixNano":"0","status":{"code":"STATUS_CODE_ERROR"}}]}]}]}'
    const trace = traceFromJson(JSON.parse(json))
    const attrs = trace.resourceSpans![0]!.resource.attributes!
    expect(Object.is((attrs[0]!.value as { doubleValue: number }).doubleValue, -0)).toBe(true)
    expect(Number.isNaN((attrs[1]!.value as { doubleValue: number }).doubleValue)).toBe(true)
    expect(attrs[2]!.value).toEqual({ intValue: -(1n << 63n) })
    expect(attrs[3]!.value).toEqual({ bytesValue: new Uint8Array([0, 1]) })
    const span = trace.resourceSpans![0]!.scopeSpans![0]!.spans![0]!
    expect(span.kind).toBe(3)
    expect(span.startTimeUnixNano).toBe((1n << 64n) - 1n)
    expect(span.status).toEqual({ code: 2 })
    expect(traceToJson(trace).replace('"endTimeUnixNano":"0",', '')).toBe(json.replace('"endTimeUnixNano":"0",', ''))
  })

  it('accepts v1 `batches`, proto field names and numeric enums', () => {
    const trace = traceFromJson({ batches: [{ resource: {}, scope_spans: [{ scope: { name: 's' }, spans: [{ span_id: 'AQ==', kind: 7, status: {} }] }] }] })
    expect(traceToJson(trace)).toBe('{"resourceSpans":[{"resource":{},"scopeSpans":[{"scope":{"name":"s"},"spans":[{"spanId":"AQ==","kind":7,"status":{}}]}]}]}')
  })

  it('rejects malformed input with a typed error', () => {
    expect(() => traceFromJson([])).toThrow(TraceJsonError)
    expect(() => traceFromJson({ resourceSpans: [{ resource: {}, bogus: 1 }] })).toThrow(/unknown field "bogus"/)
    expect(() => traceFromJson({ resourceSpans: [{ scopeSpans: [{ spans: [{ startTimeUnixNano: 'x' }] }] }] })).toThrow(TraceJsonError)
    expect(() => traceFromJson({ resourceSpans: [{ scopeSpans: [{ spans: [{ kind: 'SPAN_KIND_NOPE' }] }] }] })).toThrow(/unknown enum/)
  })
})
