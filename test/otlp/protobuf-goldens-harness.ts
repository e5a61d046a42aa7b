import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { traceFromJson } from '../../functions/core/otlp/json-parse.js'
import { decodeTrace, encodeTrace, traceProtoSize } from '../../functions/core/otlp/protobuf.js'
import { countSpans, readGoldens, TENANTS } from '../combine/goldens.js'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'

/** Protobuf checks on every distinct golden trace of one format (one test file per format keeps files fast). */
export function describeProtobufGoldens(format: string): void {
  describe.skipIf(!hasSharedFixtures)(`protobuf on every golden trace ${format}`, () => {
    sharedFixturesSkipNote(`protobuf goldens ${format}`)
    for (const tenant of TENANTS) {
      it(`${tenant}: size === encoded length, decode(encode(t)) === t`, () => {
        const records = readGoldens(format, tenant)
        expect(records.length).toBeGreaterThan(100)
        let spans = 0
        const seen = new Set<string>()
        for (const record of records) {
          // windowed variants repeat a trace: check each distinct (id, span count) once
          const key = `${record.traceId}/${record.spanCount}`
          if (seen.has(key)) continue
          seen.add(key)
          const trace = traceFromJson(record.v2.trace)
          expect(countSpans(trace)).toBe(record.spanCount)
          spans += countSpans(trace)
          const bytes = encodeTrace(trace)
          expect(traceProtoSize(trace), record.traceId).toBe(bytes.length)
          const decoded = decodeTrace(bytes)
          // isDeepStrictEqual is far faster than toEqual on 2,000-span traces; toEqual only explains a failure
          if (!isDeepStrictEqual(decoded, trace)) expect(decoded, record.traceId).toEqual(trace)
        }
        expect(spans).toBeGreaterThan(tenant === 'tenant-b' ? 500 : 10_000)
      }, 60_000)
    }
  })
}
