import { describe, it, expect } from 'vitest'
import { gunzipSync } from 'node:zlib'
import { NdjsonWriter, ndjsonLines } from '../../functions/core/results/ndjson.js'
import { formatResultLine } from '../../functions/core/results/result-lines.js'

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = []
  for await (const x of it) out.push(x)
  return out
}

describe('NDJSON with gzip', () => {
  it('round-trips many lines, compressed and not', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ i, s: 'x'.repeat(i % 97), u: 'ü✨' }))
    for (const compress of [true, false]) {
      const writer = new NdjsonWriter(compress)
      for (const line of lines) await writer.write(line)
      const bytes = await writer.finish()
      expect(writer.lineCount).toBe(5000)
      if (compress) expect(gunzipSync(bytes).toString('utf8')).toBe(lines.join('\n') + '\n')
      expect(await collect(ndjsonLines(bytes, compress))).toEqual(lines)
    }
  })

  it('formats result lines with the trace JSON embedded verbatim', () => {
    expect(formatResultLine({ traceId: 'ab', status: 'found' }, '{"resourceSpans":[{"x":-0}]}')).toBe(
      '{"traceId":"ab","status":"found","trace":{"resourceSpans":[{"x":-0}]}}',
    )
    expect(formatResultLine({ traceId: 'ab', status: 'partial', message: 'm "q"' })).toBe('{"traceId":"ab","status":"partial","message":"m \\"q\\""}')
  })
})
