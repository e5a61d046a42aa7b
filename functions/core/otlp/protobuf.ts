/**
 * Protobuf wire format of Tempo's trace-by-ID answers: `tempopb.Trace` (wire-identical to OTLP
 * `TracesData`) for `/api/traces/{id}` and `tempopb.TraceByIDResponse` for `/api/v2/traces/{id}` with
 * `Accept: application/protobuf`. The size function is what `max_bytes_per_trace` is measured in.
 */
import type { Trace } from './model.js'
import { ProtoReader, ProtobufDecodeError } from '../encoding/protobuf.js'
import { decodeTraceMessage } from './protobuf-decode.js'
import { encodeTraceMessage, ReverseProtoWriter, writeTraceField } from './protobuf-encode.js'
import { delimitedSize, traceSize, utf8Length, varint64Size } from './protobuf-size.js'

export { ProtobufDecodeError } from './protobuf-decode.js'

/** Encode a trace as `tempopb.Trace` bytes (gogo field order, proto3 zero-omission). */
export function encodeTrace(trace: Trace): Uint8Array {
  return encodeTraceMessage(trace)
}

/** Exactly `encodeTrace(trace).length`, computed without allocating (gogo's `Trace.Size()`). */
export function traceProtoSize(trace: Trace): number {
  return traceSize(trace)
}

/** Decode `tempopb.Trace` / OTLP `TracesData` bytes; throws `ProtobufDecodeError` on malformed input. */
export function decodeTrace(bytes: Uint8Array): Trace {
  return decodeTraceMessage(bytes)
}

/** What `/api/v2/traces/{id}` answers: the trace (undefined = not found), partial flag and metrics. */
export interface TraceByIdResponseFields {
  trace: Trace | undefined
  partial?: boolean
  /** Tempo's reason text, e.g. `Trace exceeds maximum size of N bytes, a partial trace is returned`. */
  message?: string
  inspectedBytes?: bigint | number
}

/** `tempopb.PartialStatus`. */
export const PartialStatus = { COMPLETE: 0, PARTIAL: 1 } as const

/**
 * Encode `tempopb.TraceByIDResponse` {1 trace, 2 metrics {1 inspectedBytes}, 3 status, 4 message}.
 * Like Tempo's frontend, `trace` (empty when not found) and `metrics` are always present.
 */
export function encodeTraceByIdResponse(fields: TraceByIdResponseFields): Uint8Array {
  const trace = fields.trace ?? {}
  const inspected = BigInt(fields.inspectedBytes ?? 0)
  const metricsSize = inspected !== 0n ? 1 + varint64Size(inspected) : 0
  const contentSize = traceSize(trace)
  const messageLength = fields.message ? utf8Length(fields.message) : 0
  const total =
    delimitedSize(contentSize) +
    delimitedSize(metricsSize) +
    (fields.partial ? 2 : 0) +
    (messageLength > 0 ? delimitedSize(messageLength) : 0)
  const w = new ReverseProtoWriter(total)
  // reverse writer: last field first
  w.stringField(4, fields.message)
  if (fields.partial) {
    w.varint(PartialStatus.PARTIAL)
    w.tag(3, 0)
  }
  const metricsEnd = w.pos
  if (inspected !== 0n) {
    w.varint64(inspected)
    w.tag(1, 0)
  }
  w.closeMessage(2, metricsEnd)
  writeTraceField(w, 1, trace)
  return w.bytes
}

/** Decoded `tempopb.TraceByIDResponse` (trace undefined when the field is absent). */
export interface DecodedTraceByIdResponse {
  trace: Trace | undefined
  partial: boolean
  message: string
  inspectedBytes: bigint
}

/** Decode `tempopb.TraceByIDResponse` bytes (for tests and clients). */
export function decodeTraceByIdResponse(bytes: Uint8Array): DecodedTraceByIdResponse {
  const out: DecodedTraceByIdResponse = { trace: undefined, partial: false, message: '', inspectedBytes: 0n }
  const r = new ProtoReader(bytes)
  while (r.more) {
    const [field, wireType] = r.tag()
    if (field === 1 && wireType === 2) out.trace = decodeTraceMessage(r.delimited())
    else if (field === 2 && wireType === 2) out.inspectedBytes = decodeInspectedBytes(r.delimited())
    else if (field === 3 && wireType === 0) out.partial = r.int32() === PartialStatus.PARTIAL
    else if (field === 4 && wireType === 2) out.message = r.string()
    else if (field <= 4) throw new ProtobufDecodeError(`protobuf: TraceByIDResponse field ${field} has wire type ${wireType}`)
    else r.skip(wireType)
  }
  return out
}

function decodeInspectedBytes(bytes: Uint8Array): bigint {
  let inspected = 0n
  const r = new ProtoReader(bytes)
  while (r.more) {
    const [field, wireType] = r.tag()
    if (field === 1 && wireType === 0) inspected = r.varint64()
    else r.skip(wireType)
  }
  return inspected
}
