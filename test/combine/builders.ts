/** Small builders for hand-made traces in combiner tests. */
import type { ResourceSpans, Span, Trace } from '../../functions/core/otlp/model.js'

export const TRACE_ID = new Uint8Array(16).fill(7)

/** An 8-byte span ID from a number (big-endian). */
export function sid(n: number | bigint): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt(n), false)
  return out
}

/** A span: id, kind, start (end = start + 1). */
export function span(id: number | bigint, kind: number, start: number | bigint, extra: Partial<Span> = {}): Span {
  return { traceId: TRACE_ID, spanId: sid(id), kind, startTimeUnixNano: BigInt(start), endTimeUnixNano: BigInt(start) + 1n, status: {}, ...extra }
}

/** One resource (service name) with scopes given as [scopeName, spans]. */
export function resource(service: string, ...scopes: [string, Span[]][]): ResourceSpans {
  return {
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
    scopeSpans: scopes.map(([name, spans]) => ({ scope: { name }, spans })),
  }
}

/** A trace of resources. */
export function trace(...resources: ResourceSpans[]): Trace {
  return { resourceSpans: resources }
}

/** Span IDs (as numbers) in document order, for compact assertions. */
export function spanIds(t: Trace | undefined): number[] {
  const out: number[] = []
  for (const rs of t?.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) out.push(Number(new DataView(s.spanId.buffer, s.spanId.byteOffset).getBigUint64(0)))
  return out
}

/** Service names of the resources, in order. */
export function services(t: Trace | undefined): string[] {
  return (t?.resourceSpans ?? []).map((rs) => {
    const value = rs.resource.attributes?.[0]?.value
    return value && 'stringValue' in value ? value.stringValue : '?'
  })
}

/** A deterministic PRNG (mulberry32) for generated cases. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
