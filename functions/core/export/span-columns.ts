import type { ColumnSource, SchemaElement } from 'hyparquet-writer'
import type { AnyValue, KeyValue, Trace } from '../otlp/model.js'
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from '../otlp/enum-names.js'

/**
 * One flat span table, the shape analysis tools want: a row per span with its trace, parent, service,
 * name, kind, status, times and attributes (as JSON objects). Rows are collected column by column for
 * one row group at a time.
 */

/** The table's Parquet schema. 64-bit integers are plain INT64 (no INTEGER logical type: DuckDB rejects hyparquet-writer's). */
export const SPANS_SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: 15 },
  { name: 'trace_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'span_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'parent_span_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'service', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'name', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'kind', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'status_code', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'status_message', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'start_time', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: 'REQUIRED' },
  { name: 'start_time_unix_nano', type: 'INT64', repetition_type: 'REQUIRED' },
  { name: 'duration_nano', type: 'INT64', repetition_type: 'REQUIRED' },
  { name: 'scope_name', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
  { name: 'attributes', type: 'BYTE_ARRAY', converted_type: 'JSON', repetition_type: 'OPTIONAL' },
  { name: 'resource_attributes', type: 'BYTE_ARRAY', converted_type: 'JSON', repetition_type: 'OPTIONAL' },
  { name: 'result_status', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
]

type Row = {
  trace_id: string
  span_id: string
  parent_span_id: string | null
  service: string
  name: string
  kind: string
  status_code: string
  status_message: string | null
  start_time: Date
  start_time_unix_nano: bigint
  duration_nano: bigint
  scope_name: string | null
  attributes: Record<string, unknown> | null
  resource_attributes: Record<string, unknown> | null
  result_status: string
}

/** Column buffers of one row group. */
export class SpanColumns {
  private columns = emptyColumns()
  private rows = 0

  /** Spans buffered. */
  get size(): number {
    return this.rows
  }

  /** Add every span of `trace` (`traceId` as 32 hex digits, `status` the result line's). */
  addTrace(traceId: string, status: string, trace: Trace): void {
    for (const rs of trace.resourceSpans ?? []) {
      const resourceAttributes = attributesJson(rs.resource.attributes)
      const service = rs.resource.attributes?.find((a) => a.key === 'service.name')
      const serviceName = service && 'stringValue' in service.value ? service.value.stringValue : 'unknown_service'
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? []) {
          const start = span.startTimeUnixNano
          this.push({
            trace_id: traceId,
            span_id: hex(span.spanId),
            parent_span_id: span.parentSpanId && span.parentSpanId.length > 0 ? hex(span.parentSpanId) : null,
            service: serviceName,
            name: span.name ?? '',
            kind: (SPAN_KIND_NAMES[span.kind ?? 0] ?? 'SPAN_KIND_UNSPECIFIED').replace('SPAN_KIND_', ''),
            status_code: (STATUS_CODE_NAMES[span.status.code ?? 0] ?? 'STATUS_CODE_UNSET').replace('STATUS_CODE_', ''),
            status_message: span.status.message ? span.status.message : null,
            start_time: new Date(Number(start / 1_000_000n)),
            start_time_unix_nano: start,
            duration_nano: span.endTimeUnixNano > start ? span.endTimeUnixNano - start : 0n,
            scope_name: ss.scope.name ? ss.scope.name : null,
            attributes: attributesJson(span.attributes),
            resource_attributes: resourceAttributes,
            result_status: status,
          })
        }
      }
    }
  }

  /** The buffered rows as hyparquet-writer column data, and empty buffers for the next row group. */
  take(): ColumnSource[] {
    const taken = this.columns
    this.columns = emptyColumns()
    this.rows = 0
    return SPANS_SCHEMA.slice(1).map((element) => ({ name: element.name, data: taken[element.name as keyof Row] }))
  }

  private push(row: Row): void {
    for (const key of Object.keys(row) as (keyof Row)[]) (this.columns[key] as unknown[]).push(row[key])
    this.rows++
  }
}

function emptyColumns(): { [K in keyof Row]: Row[K][] } {
  return {
    trace_id: [], span_id: [], parent_span_id: [], service: [], name: [], kind: [], status_code: [], status_message: [], start_time: [],
    start_time_unix_nano: [], duration_nano: [], scope_name: [], attributes: [], resource_attributes: [], result_status: [],
  }
}

/** Attributes as one JSON object (null when there are none). */
function attributesJson(list: KeyValue[] | undefined): Record<string, unknown> | null {
  if (!list || list.length === 0) return null
  const out: Record<string, unknown> = {}
  for (const { key, value } of list) out[key] = valueJson(value)
  return out
}

/** An AnyValue as plain JSON: 64-bit integers beyond 2^53 as decimal strings, bytes as base64. */
export function valueJson(value: AnyValue): unknown {
  if ('stringValue' in value) return value.stringValue
  if ('boolValue' in value) return value.boolValue
  if ('intValue' in value) return Number.isSafeInteger(Number(value.intValue)) ? Number(value.intValue) : value.intValue.toString()
  if ('doubleValue' in value) return Number.isFinite(value.doubleValue) ? value.doubleValue : String(value.doubleValue)
  if ('bytesValue' in value) return Buffer.from(value.bytesValue).toString('base64')
  if ('arrayValue' in value) return (value.arrayValue.values ?? []).map(valueJson)
  if ('kvlistValue' in value) return attributesJson(value.kvlistValue.values) ?? {}
  return null
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}
