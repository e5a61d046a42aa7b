import { createRequire } from 'node:module'

/**
 * An independent OTLP decoder for tests: the protobufjs code that the OpenTelemetry JS SDK generated
 * from the official opentelemetry-proto definitions (`@opentelemetry/otlp-transformer` 0.216, the last
 * release that ships it). Nothing here shares code with our encoders and decoders.
 */

interface GeneratedMessage {
  decode(bytes: Uint8Array): object
  fromObject(value: object): object
  toObject(message: object, options: object): Record<string, unknown>
  verify(value: object): string | null
}

interface GeneratedRoot {
  opentelemetry: {
    proto: {
      trace: { v1: { TracesData: GeneratedMessage } }
      collector: { trace: { v1: { ExportTraceServiceRequest: GeneratedMessage } } }
    }
  }
}

const root = createRequire(import.meta.url)('@opentelemetry/otlp-transformer/build/src/generated/root.js') as GeneratedRoot

/** `opentelemetry.proto.trace.v1.TracesData` (wire-identical to Tempo's `tempopb.Trace`). */
export const TracesData = root.opentelemetry.proto.trace.v1.TracesData
/** `opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest`. */
export const ExportTraceServiceRequest = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest

/** A decoded message as a plain object: bytes base64, 64-bit integers as decimal strings, enums as numbers. */
export function canonical(type: GeneratedMessage, message: object): Record<string, unknown> {
  return type.toObject(message, { longs: String, enums: Number, bytes: String })
}

/** Tempo's JSON dialect (proto3 JSON: base64 IDs, enum names) read by the reference code, as a plain object. */
export function canonicalFromTempoJson(trace: object): Record<string, unknown> {
  return canonical(TracesData, TracesData.fromObject(trace))
}
