import { group, leaf, list, map, type ColumnOptions, type MessageSchema, type SchemaNode } from '../parquet/schema.js'
import type { DedicatedSlot, DedicatedSlots } from './dedicated.js'

/**
 * Tempo's vParquet4 and vParquet5 trees (spec §5.5, §5.6) with parquet-go's encodings and Tempo's
 * codecs (§5.1): `dict` string columns, `delta` integer columns, SNAPPY unless listed uncompressed.
 */

const RAW: ColumnOptions = {}
const SNAPPY: ColumnOptions = { codec: 'SNAPPY' }
const DICT: ColumnOptions = { dict: true, codec: 'SNAPPY' }
const DICT_RAW: ColumnOptions = { dict: true }
const DELTA: ColumnOptions = { delta: true }
const DELTA_SNAPPY: ColumnOptions = { delta: true, codec: 'SNAPPY' }

const str = (name: string, o: ColumnOptions = SNAPPY, rep: 'REQUIRED' | 'OPTIONAL' | 'REPEATED' = 'REQUIRED') => leaf(name, 'BYTE_ARRAY', 'STRING', o, rep)
const bytes = (name: string) => leaf(name, 'BYTE_ARRAY', undefined, RAW)
const u64 = (name: string) => leaf(name, 'INT64', 'UINT64', DELTA)
const i64 = (name: string, o: ColumnOptions = DELTA) => leaf(name, 'INT64', 'INT64', o)
const i32 = (name: string, o: ColumnOptions = DELTA) => leaf(name, 'INT32', 'INT32', o)
const u32 = (name: string) => leaf(name, 'INT32', 'UINT32', DELTA)

/** vParquet4 attribute group (LIST-wrapped values). */
function attrsV4(): SchemaNode {
  return list(
    'Attrs',
    group('element', [
      str('Key', DICT),
      leaf('IsArray', 'BOOLEAN', undefined, SNAPPY),
      list('Value', str('element', DICT)),
      list('ValueInt', i64('element', SNAPPY)),
      list('ValueDouble', leaf('element', 'DOUBLE', undefined, SNAPPY)),
      list('ValueBool', leaf('element', 'BOOLEAN', undefined, SNAPPY)),
      str('ValueUnsupported', SNAPPY, 'OPTIONAL'),
    ]),
  )
}

/** vParquet5 attribute group (plain repeated leaves). */
function attrsV5(): SchemaNode {
  return group(
    'Attrs',
    [
      str('Key', DICT),
      leaf('IsArray', 'BOOLEAN', undefined, SNAPPY),
      str('Value', DICT, 'REPEATED'),
      i64('ValueInt', SNAPPY),
      leaf('ValueDouble', 'DOUBLE', undefined, SNAPPY, 'REPEATED'),
      leaf('ValueBool', 'BOOLEAN', undefined, SNAPPY, 'REPEATED'),
      str('ValueUnsupported', SNAPPY, 'OPTIONAL'),
    ].map((n) => (n.name === 'ValueInt' ? { ...n, repetition: 'REPEATED' as const } : n)),
    'REPEATED',
  )
}

const spareStringsV4 = (): SchemaNode =>
  group(
    'DedicatedAttributes',
    Array.from({ length: 10 }, (_, i) => str(`String${String(i + 1).padStart(2, '0')}`, DICT, 'OPTIONAL')),
  )

/** vParquet4 schema: fixed columns, 10 string spares per scope. */
export function vParquet4Schema(): MessageSchema {
  const span = group('element', [
    ...spanTreeColumns(),
    ...spanCoreColumns(),
    attrsV4(),
    i32('DroppedAttributesCount', DELTA_SNAPPY),
    list('Events', group('element', [u64('TimeSinceStartNano'), str('Name', DICT), attrsV4(), i32('DroppedAttributesCount', DELTA_SNAPPY)])),
    i32('DroppedEventsCount', SNAPPY),
    list('Links', group('element', [bytes('TraceID'), bytes('SpanID'), str('TraceState'), attrsV4(), i32('DroppedAttributesCount', DELTA_SNAPPY)])),
    i32('DroppedLinksCount', SNAPPY),
    str('HttpMethod', DICT, 'OPTIONAL'),
    str('HttpUrl', DICT, 'OPTIONAL'),
    leaf('HttpStatusCode', 'INT64', 'INT64', SNAPPY, 'OPTIONAL'),
    spareStringsV4(),
  ])
  const resource = group('Resource', [
    attrsV4(),
    i32('DroppedAttributesCount', DELTA_SNAPPY),
    str('ServiceName', DICT),
    ...['Cluster', 'Namespace', 'Pod', 'Container', 'K8sClusterName', 'K8sNamespaceName', 'K8sPodName', 'K8sContainerName'].map((n) => str(n, DICT, 'OPTIONAL')),
    spareStringsV4(),
  ])
  const scope = group('Scope', [str('Name', DICT), str('Version', DICT), attrsV4(), i32('DroppedAttributesCount', DELTA_SNAPPY)])
  return {
    name: 'Trace',
    children: [
      ...traceLevel(),
      map('ServiceStats', str('key', RAW), group('value', [u32('SpanCount'), u32('ErrorCount')])),
      list('rs', group('element', [resource, list('ss', group('element', [scope, list('Spans', span)]))])),
    ],
  }
}

/** vParquet5 schema for a block whose meta maps dedicated columns to `slots` (unused spares pruned). */
export function vParquet5Schema(slots: DedicatedSlots): MessageSchema {
  const dedicated = (scopeSlots: DedicatedSlot[]): SchemaNode[] => {
    const strings = scopeSlots.filter((s) => s.type === 'string').sort((a, b) => a.column.localeCompare(b.column))
    const ints = scopeSlots.filter((s) => s.type === 'int').sort((a, b) => a.column.localeCompare(b.column))
    if (strings.length + ints.length === 0) return []
    return [
      group('DedicatedAttributes', [
        ...strings.map((s) => str(s.column, s.blob ? { codec: 'ZSTD', noStats: true } : DICT, 'REPEATED')),
        ...ints.map((s) => ({ ...i64(s.column, SNAPPY), repetition: 'REPEATED' as const })),
      ]),
    ]
  }
  const span = group(
    'Spans',
    [
      ...spanTreeColumns(),
      i32('ChildCount', { delta: true }),
      ...spanCoreColumns(),
      attrsV5(),
      i32('DroppedAttributesCount', DELTA_SNAPPY),
      group('Events', [u64('TimeSinceStartNano'), str('Name', DICT), attrsV5(), i32('DroppedAttributesCount', DELTA_SNAPPY), ...dedicated(slots.event)], 'REPEATED'),
      i32('DroppedEventsCount', SNAPPY),
      group('Links', [bytes('TraceID'), bytes('SpanID'), str('TraceState'), attrsV5(), i32('DroppedAttributesCount', DELTA_SNAPPY)], 'REPEATED'),
      i32('DroppedLinksCount', SNAPPY),
      ...dedicated(slots.span),
      u32('StartTimeRounded15'),
      u32('StartTimeRounded60'),
      u32('StartTimeRounded300'),
      u32('StartTimeRounded3600'),
    ],
    'REPEATED',
  )
  const resource = group('Resource', [str('ServiceName', DICT), attrsV5(), i32('DroppedAttributesCount', DELTA_SNAPPY), ...dedicated(slots.resource)])
  const scope = group('Scope', [str('Name', DICT), str('Version', DICT), attrsV5(), i32('DroppedAttributesCount', DELTA_SNAPPY)])
  return {
    name: 'Trace',
    children: [
      ...traceLevel(),
      group('ServiceStats', [str('ServiceName', DICT), u32('SpanCount'), u32('ErrorCount')], 'REPEATED'),
      group('rs', [resource, group('ss', [scope, span, i32('SpanCount')], 'REPEATED')], 'REPEATED'),
    ],
  }
}

function traceLevel(): SchemaNode[] {
  return [bytes('TraceID'), str('TraceIDText'), u64('StartTimeUnixNano'), u64('EndTimeUnixNano'), u64('DurationNano'), str('RootServiceName', DICT_RAW), str('RootSpanName', DICT_RAW)]
}

/** Span identity and nested-set columns, first in both formats' span group (vParquet5 follows them with ChildCount). */
function spanTreeColumns(): SchemaNode[] {
  return [bytes('SpanID'), bytes('ParentSpanID'), i32('ParentID', DELTA), i32('NestedSetLeft', DELTA), i32('NestedSetRight', DELTA)]
}

/** Span name, kind, timing and status columns, the same in both formats. */
function spanCoreColumns(): SchemaNode[] {
  return [str('Name', DICT), i64('Kind'), str('TraceState'), u64('StartTimeUnixNano'), u64('DurationNano'), i64('StatusCode'), str('StatusMessage')]
}
