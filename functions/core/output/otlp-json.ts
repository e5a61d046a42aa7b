import { OTLP_JSON, traceToJson } from '../otlp/json.js'
import type { OutputFormat } from './output-format.js'

/**
 * OTLP/JSON as the OpenTelemetry Protocol specifies it (hex trace and span IDs, integer enums,
 * lowerCamelCase keys): one `ExportTraceServiceRequest` per line for each ID that has spans, the form
 * the Collector's file receiver (otlp_json) reads. IDs without spans are left out (the manifest counts them).
 */
export const otlpJsonFormat: OutputFormat = {
  name: 'otlp-json',
  description: 'OTLP/JSON: one ExportTraceServiceRequest per line per trace found (hex IDs, integer enums)',
  output: 'text',
  async write(records, { sink }) {
    for await (const record of records) {
      const trace = record.trace()
      if (trace?.resourceSpans?.length) await sink.write(traceToJson(trace, OTLP_JSON) + '\n')
    }
  },
}
