/**
 * Test-only access to the tempo-generated goldens: read the JSONL records and turn Tempo's JSON dialect
 * into the trace model (a small parser, independent of the production JSON code, so the protobuf and
 * combiner tests do not depend on it).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { AnyValue, KeyValue, ResourceSpans, Span, Trace } from '../../functions/core/otlp/model.js'
import { tempoGeneratedDir } from '../support/shared-fixtures.js'

/** One golden query record (only the fields these tests use). */
export interface GoldenRecord {
  traceId: string
  start: number
  end: number
  category: string
  blocks: string[]
  spanCount: number
  maxBytesPerTrace: number
  v2: { trace: JsonObject; status?: string; message?: string }
}

type JsonObject = Record<string, unknown>

export const FORMATS = ['vParquet3', 'vParquet4', 'vParquet5'] as const
export const TENANTS = ['single-tenant', 'tenant-b'] as const

/** All golden records of one format and tenant. */
export function readGoldens(format: string, tenant: string): GoldenRecord[] {
  const file = join(tempoGeneratedDir, 'correctness', 'goldens', format, `${tenant}.jsonl.gz`)
  return gunzipSync(readFileSync(file))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as GoldenRecord)
}

const SPAN_KINDS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
}
const STATUS_CODES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 }

const bytes = (v: unknown): Uint8Array => new Uint8Array(Buffer.from(v as string, 'base64'))
const enumValue = (v: unknown, names: Record<string, number>): number => (typeof v === 'number' ? v : names[v as string]!)
const list = (v: unknown): JsonObject[] => v as JsonObject[]

function copyOptional(target: Record<string, unknown>, source: JsonObject, keys: string[]): void {
  for (const key of keys) if (key in source) target[key] = source[key]
}

function anyValue(v: JsonObject): AnyValue {
  if ('stringValue' in v) return { stringValue: v.stringValue as string }
  if ('boolValue' in v) return { boolValue: v.boolValue as boolean }
  if ('intValue' in v) return { intValue: BigInt(v.intValue as string) }
  if ('doubleValue' in v) {
    const d = v.doubleValue
    return { doubleValue: typeof d === 'string' ? Number(d === 'Infinity' ? Infinity : d === '-Infinity' ? -Infinity : NaN) : (d as number) }
  }
  if ('arrayValue' in v) {
    const a = v.arrayValue as JsonObject
    return { arrayValue: 'values' in a ? { values: list(a.values).map(anyValue) } : {} }
  }
  if ('kvlistValue' in v) {
    const a = v.kvlistValue as JsonObject
    return { kvlistValue: 'values' in a ? { values: attributes(a.values) } : {} }
  }
  if ('bytesValue' in v) return { bytesValue: bytes(v.bytesValue) }
  return {}
}

function attributes(v: unknown): KeyValue[] {
  return list(v).map((kv) => ({ key: (kv.key as string | undefined) ?? '', value: anyValue((kv.value as JsonObject | undefined) ?? {}) }))
}

function withAttributes<T extends Record<string, unknown>>(target: T, source: JsonObject): T {
  if ('attributes' in source) (target as Record<string, unknown>).attributes = attributes(source.attributes)
  copyOptional(target, source, ['droppedAttributesCount'])
  return target
}

function span(s: JsonObject): Span {
  const out: Record<string, unknown> = { traceId: bytes(s.traceId), spanId: bytes(s.spanId) }
  copyOptional(out, s, ['traceState'])
  if ('parentSpanId' in s) out.parentSpanId = bytes(s.parentSpanId)
  copyOptional(out, s, ['flags', 'name'])
  if ('kind' in s) out.kind = enumValue(s.kind, SPAN_KINDS)
  out.startTimeUnixNano = BigInt((s.startTimeUnixNano as string | undefined) ?? '0')
  out.endTimeUnixNano = BigInt((s.endTimeUnixNano as string | undefined) ?? '0')
  withAttributes(out, s)
  if ('events' in s) {
    out.events = list(s.events).map((e) => {
      const event: Record<string, unknown> = { timeUnixNano: BigInt((e.timeUnixNano as string | undefined) ?? '0') }
      copyOptional(event, e, ['name'])
      return withAttributes(event, e)
    })
  }
  copyOptional(out, s, ['droppedEventsCount'])
  if ('links' in s) {
    out.links = list(s.links).map((l) => {
      const link: Record<string, unknown> = { traceId: bytes(l.traceId ?? ''), spanId: bytes(l.spanId ?? '') }
      copyOptional(link, l, ['traceState'])
      withAttributes(link, l)
      copyOptional(link, l, ['flags'])
      return link
    })
  }
  copyOptional(out, s, ['droppedLinksCount'])
  const status = (s.status as JsonObject | undefined) ?? {}
  const outStatus: Record<string, unknown> = {}
  copyOptional(outStatus, status, ['message'])
  if ('code' in status) outStatus.code = enumValue(status.code, STATUS_CODES)
  out.status = outStatus
  return out as unknown as Span
}

/** Parse Tempo's JSON `Trace` object into the model. */
export function traceFromGoldenJson(trace: JsonObject): Trace {
  if (!('resourceSpans' in trace)) return {}
  return {
    resourceSpans: list(trace.resourceSpans).map((rs): ResourceSpans => {
      const out: Record<string, unknown> = { resource: withAttributes({}, (rs.resource as JsonObject | undefined) ?? {}) }
      if ('scopeSpans' in rs) {
        out.scopeSpans = list(rs.scopeSpans).map((ss) => {
          const scopeSpans: Record<string, unknown> = { scope: {} }
          const scope = (ss.scope as JsonObject | undefined) ?? {}
          const outScope: Record<string, unknown> = {}
          copyOptional(outScope, scope, ['name', 'version'])
          scopeSpans.scope = withAttributes(outScope, scope)
          if ('spans' in ss) scopeSpans.spans = list(ss.spans).map(span)
          copyOptional(scopeSpans, ss, ['schemaUrl'])
          return scopeSpans
        })
      }
      copyOptional(out, rs, ['schemaUrl'])
      return out as unknown as ResourceSpans
    }),
  }
}

/** Number of spans in a trace. */
export function countSpans(trace: Trace | undefined): number {
  let n = 0
  for (const rs of trace?.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) n += ss.spans?.length ?? 0
  return n
}
