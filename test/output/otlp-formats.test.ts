import { describe, expect, it } from 'vitest'
import { traceFromJson } from '../../functions/core/otlp/json-parse.js'
import type { Trace } from '../../functions/core/otlp/model.js'
import { outputFormat, resultRecords, type OutputFormat } from '../../functions/core/output/registry.js'
import { canonical, canonicalFromTempoJson, ExportTraceServiceRequest } from '../support/otlp-reference.js'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'
import { loadGoldens, TENANTS } from '../e2e/goldens.js'
import { otlpJsonOf, readOtlpJson } from './otlp-conformance.js'
import { generatedResultLines } from './generated-results.js'

sharedFixturesSkipNote('otlp output formats on the goldens')

/** Run records through a format into one buffer. */
async function render(format: OutputFormat, lines: string[]): Promise<Buffer> {
  const chunks: Buffer[] = []
  async function* source() {
    yield* lines
  }
  await format.write(resultRecords(source()), { path: '-', sink: { write: async (chunk) => void chunks.push(Buffer.from(chunk)) } })
  return Buffer.concat(chunks)
}

/** Split a length-delimited stream (varint length, message) and decode each message with the reference decoder. */
function readDelimited(bytes: Uint8Array): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  let at = 0
  while (at < bytes.length) {
    let length = 0
    let shift = 1
    for (;;) {
      const byte = bytes[at++]!
      length += (byte & 0x7f) * shift
      shift *= 0x80
      if (byte < 0x80) break
    }
    out.push(canonical(ExportTraceServiceRequest, ExportTraceServiceRequest.decode(bytes.subarray(at, at + length))))
    at += length
  }
  return out
}

function checkFormats(label: string, lines: () => Promise<string[]>) {
  it(`${label}: otlp-json lines and otlp-proto messages decode to the same trace as Tempo's JSON dialect`, { timeout: 300_000 }, async () => {
    const all = await lines()
    const withSpans = all.map((l) => JSON.parse(l) as { trace?: object }).filter((l) => l.trace && Object.keys(l.trace).length > 0)
    expect(withSpans.length).toBeGreaterThan(0)
    const want = withSpans.map((l) => canonicalFromTempoJson(l.trace!))

    const jsonLines = (await render(outputFormat('otlp-json'), all)).toString('utf8').split('\n').filter((l) => l.length > 0)
    expect(jsonLines.map(readOtlpJson)).toEqual(want)
    expect(readDelimited(await render(outputFormat('otlp-proto'), all))).toEqual(want)
    expect((await render(outputFormat('tempo'), all)).toString('utf8')).toBe(all.map((l) => l + '\n').join(''))
  })
}

describe('output formats on a generated tenant', () => {
  checkFormats('every generated trace', generatedResultLines)

  it('an unknown format is bad input naming the field', () => {
    expect(outputFormat('ndjson')).toBe(outputFormat('tempo'))
    expect(() => outputFormat('jaeger', '--format')).toThrow(/--format: "jaeger" is not one of tempo, otlp-json, otlp-proto, spans-parquet/)
  })
})

describe.skipIf(!hasSharedFixtures)('OTLP/JSON of every vParquet4 golden trace, read by the reference decoder', () => {
  it('equals Tempo\'s own answer for the same trace', { timeout: 400_000 }, () => {
    const differing: string[] = []
    let compared = 0
    for (const tenant of TENANTS)
      for (const record of loadGoldens('vParquet4', tenant)) {
        const golden = record.v2.trace as object
        if (Object.keys(golden).length === 0) continue
        const model: Trace = traceFromJson(golden)
        if (JSON.stringify(otlpJsonOf(model)) !== JSON.stringify(canonicalFromTempoJson(golden))) differing.push(`${tenant} ${record.traceId}`)
        compared++
      }
    expect(differing).toEqual([])
    expect(compared).toBeGreaterThan(500)
  })
})
