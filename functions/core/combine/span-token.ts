import { fnv1_64 } from '../bloom/fnv.js'
import type { Span } from '../otlp/model.js'

/**
 * Tempo's de-duplication token of a span: FNV-1 64 over `spanId ‖ uint32_le(kind)`. Kind is part of
 * the key because Zipkin client and server spans share one span ID. Tempo keys its map by this hash,
 * not by the bytes, so a (vanishingly rare) collision drops a span there too; we keep that behaviour.
 */
export function spanToken(span: Span): bigint {
  const id = span.spanId
  const input = new Uint8Array(id.length + 4)
  input.set(id, 0)
  new DataView(input.buffer).setUint32(id.length, (span.kind ?? 0) >>> 0, true)
  return fnv1_64(input)
}
