/**
 * tempo-batch as a library: `import { fetchTraces } from 'tempo-batch'`. Batches run embedded (a
 * directory, `s3://`, or any `ObjectStore`) or through a deployed API (`TempoBatchApiClient`, SigV4);
 * results are OTLP traces, convertible to Tempo's JSON dialect, OTLP/JSON or OTLP protobuf.
 */
import { OTLP_JSON, traceToJson } from './core/otlp/json.js'
import type { Trace } from './core/otlp/model.js'
import { encodeTrace } from './core/otlp/protobuf.js'

export { fetchBatch, fetchTraces, type FetchedBatch, type FetchTracesOptions } from './lib/fetch-traces.js'
export type { TraceResult } from './lib/trace-result.js'
export { ApiRequestError, TempoBatchApiClient, type ApiBatch, type ApiBatchRequest, type ApiClientOptions } from './client/api-client.js'
export { InvalidRequestError, TempoBatchError } from './core/contract/errors.js'
export type { Manifest, TraceStatus } from './core/contract/types.js'
export type { ObjectStore, ByteRange, ObjectInfo } from './core/storage/object-store.js'
export { openStore } from './adapters/store-url.js'
export type {
  AnyValue,
  InstrumentationScope,
  KeyValue,
  Resource,
  ResourceSpans,
  ScopeSpans,
  Span,
  SpanEvent,
  SpanLink,
  SpanStatus,
  Trace,
} from './core/otlp/model.js'

/** A trace as an OTLP/JSON `ExportTraceServiceRequest` (hex IDs, integer enums), as the OTLP specification encodes it. */
export function toOtlpJson(trace: Trace): string {
  return traceToJson(trace, OTLP_JSON)
}

/** A trace in Tempo's JSON dialect (the `trace` of `/api/v2/traces/{id}`: base64 IDs, enum names). */
export function toTempoJson(trace: Trace): string {
  return traceToJson(trace)
}

/** A trace as OTLP protobuf (`ExportTraceServiceRequest` / `TracesData`, byte-identical to Tempo's `tempopb.Trace`). */
export function toOtlpProto(trace: Trace): Uint8Array {
  return encodeTrace(trace)
}
