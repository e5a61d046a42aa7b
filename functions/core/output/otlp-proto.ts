import { encodeTrace } from '../otlp/protobuf.js'
import type { OutputFormat } from './output-format.js'

/** A protobuf varint, as the length prefix of a delimited message. */
export function varintBytes(value: number): Uint8Array {
  const out: number[] = []
  let v = value
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80)
    v = Math.floor(v / 0x80)
  }
  out.push(v)
  return Uint8Array.from(out)
}

/**
 * OTLP protobuf, length-delimited (varint length, then the message, as protobuf's `writeDelimitedTo`):
 * one `ExportTraceServiceRequest` per trace found. Its only field is `resource_spans = 1`, so it is
 * byte-identical to Tempo's `tempopb.Trace` for the same trace.
 */
export const otlpProtoFormat: OutputFormat = {
  name: 'otlp-proto',
  description: 'OTLP protobuf: length-delimited ExportTraceServiceRequest messages, one per trace found',
  output: 'binary',
  async write(records, { sink }) {
    for await (const record of records) {
      const trace = record.trace()
      if (!trace?.resourceSpans?.length) continue
      const message = encodeTrace(trace)
      await sink.write(varintBytes(message.length))
      await sink.write(message)
    }
  },
}
