import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { decodeTrace, encodeTrace, traceProtoSize } from '../../functions/core/otlp/protobuf.js'
import { traceFromJson } from '../../functions/core/otlp/json-parse.js'
import { countSpans, FORMATS, readGoldens, TENANTS } from '../combine/goldens.js'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'

describe.skipIf(!hasSharedFixtures)('protobuf on every golden trace', () => {
  sharedFixturesSkipNote('protobuf goldens')
  for (const format of FORMATS) {
    for (const tenant of TENANTS) {
      it(`${format}/${tenant}: size === encoded length, decode(encode(t)) === t`, () => {
        const records = readGoldens(format, tenant)
        expect(records.length).toBeGreaterThan(100)
        let spans = 0
        const seen = new Set<string>()
        for (const record of records) {
          // windowed variants repeat a trace: check each distinct (id, span count) once to keep the file fast
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
      })
    }
  }
})
