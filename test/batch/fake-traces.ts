import type { Span, Trace } from '../../functions/core/otlp/model.js'

/** A one-resource, one-scope trace with spans named by their 8-byte ID seeds (test helper). */
export function fakeTrace(traceHex: string, spans: { id: number; start: number; kind?: number; service?: string }[]): Trace {
  const traceId = Uint8Array.from(Buffer.from(traceHex, 'hex'))
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: spans[0]?.service ?? 'svc' } }] },
        scopeSpans: [
          {
            scope: {},
            spans: spans.map(
              (s): Span => ({
                traceId,
                spanId: Uint8Array.from(Buffer.from(s.id.toString(16).padStart(16, '0'), 'hex')),
                name: `span-${s.id}`,
                ...(s.kind !== undefined ? { kind: s.kind } : {}),
                startTimeUnixNano: BigInt(s.start),
                endTimeUnixNano: BigInt(s.start + 10),
                status: {},
              }),
            ),
          },
        ],
      },
    ],
  }
}

/** Span names of a trace in order. */
export function spanNames(trace: Trace | undefined): string[] {
  return (trace?.resourceSpans ?? []).flatMap((rs) => (rs.scopeSpans ?? []).flatMap((ss) => (ss.spans ?? []).map((s) => s.name ?? '')))
}
