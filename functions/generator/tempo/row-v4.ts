import type { ResourceSpans, Span, Trace } from '../../core/otlp/model.js'
import { compareUtf8 } from '../parquet/compare.js'
import { attrRow, attrRows, type AttrRow } from './attributes.js'
import type { DedicatedSlots } from './dedicated.js'
import { linkRows, scopeRow, spanColumns, traceColumns } from './row-common.js'
import { traceFacts, type NestedSet } from './trace-facts.js'

/**
 * One trace -> one vParquet4 row: the inverse of the read mapping (spec §6.3-6.5) with Tempo's write
 * rules: string-valued well-known keys go to their static columns, string-valued dedicated keys to
 * `StringNN`, everything else to generic `Attrs` (resource attributes sorted by key).
 */

const RESOURCE_STATIC: Record<string, string> = {
  'service.name': 'ServiceName',
  cluster: 'Cluster',
  namespace: 'Namespace',
  pod: 'Pod',
  container: 'Container',
  'k8s.cluster.name': 'K8sClusterName',
  'k8s.namespace.name': 'K8sNamespaceName',
  'k8s.pod.name': 'K8sPodName',
  'k8s.container.name': 'K8sContainerName',
}

type Spares = Record<string, string | null>

/** A fresh all-null spare-column object (a literal, so every row shares one hidden class). */
function noSpares(): Spares {
  return { String01: null, String02: null, String03: null, String04: null, String05: null, String06: null, String07: null, String08: null, String09: null, String10: null }
}

/** Build the vParquet4 row of `trace` (all spans must carry `traceId`). */
export function traceToRowV4(traceId: Uint8Array, trace: Trace, slots: DedicatedSlots): Record<string, unknown> {
  const resourceSlots = new Map(slots.resource.filter((s) => s.type === 'string').map((s) => [s.name, s.column]))
  const spanSlots = new Map(slots.span.filter((s) => s.type === 'string').map((s) => [s.name, s.column]))
  const resources = (trace.resourceSpans ?? []).map((rs) => resourceRow(rs, resourceSlots))
  const facts = traceFacts(
    trace,
    traceId,
    resources.map((r) => r.ServiceName as string),
  )
  return {
    ...traceColumns(traceId, facts),
    ServiceStats: facts.serviceStats.map((s) => ({ key: s.name, value: { SpanCount: s.spans, ErrorCount: s.errors } })),
    rs: (trace.resourceSpans ?? []).map((rs, i) => ({
      Resource: resources[i],
      ss: (rs.scopeSpans ?? []).map((ss) => ({
        Scope: scopeRow(ss.scope),
        Spans: (ss.spans ?? []).map((span) => spanRow(span, spanSlots, facts.nested.get(span)!)),
      })),
    })),
  }
}

function resourceRow(rs: ResourceSpans, slots: Map<string, string>): Record<string, unknown> {
  const row: Record<string, unknown> = {
    Attrs: null,
    DroppedAttributesCount: rs.resource.droppedAttributesCount ?? 0,
    ServiceName: '',
    Cluster: null,
    Namespace: null,
    Pod: null,
    Container: null,
    K8sClusterName: null,
    K8sNamespaceName: null,
    K8sPodName: null,
    K8sContainerName: null,
    DedicatedAttributes: null,
  }
  const dedicated = noSpares()
  const generic: AttrRow[] = []
  const taken = new Set<string>()
  for (const kv of rs.resource.attributes ?? []) {
    const column = RESOURCE_STATIC[kv.key] ?? slots.get(kv.key)
    if (column && 'stringValue' in kv.value && !taken.has(column)) {
      taken.add(column)
      if (column.startsWith('String')) dedicated[column] = kv.value.stringValue
      else row[column] = kv.value.stringValue
      continue
    }
    generic.push(attrRow(kv))
  }
  generic.sort((a, b) => compareUtf8(a.Key, b.Key))
  row.Attrs = generic
  row.DedicatedAttributes = dedicated
  return row
}

function spanRow(span: Span, slots: Map<string, string>, nested: NestedSet): Record<string, unknown> {
  const dedicated = noSpares()
  let httpMethod: string | null = null
  let httpUrl: string | null = null
  let httpStatus: bigint | null = null
  const generic: AttrRow[] = []
  for (const kv of span.attributes ?? []) {
    const v = kv.value
    if (kv.key === 'http.method' && 'stringValue' in v && httpMethod === null) httpMethod = v.stringValue
    else if (kv.key === 'http.url' && 'stringValue' in v && httpUrl === null) httpUrl = v.stringValue
    else if (kv.key === 'http.status_code' && 'intValue' in v && httpStatus === null) httpStatus = BigInt.asIntN(64, v.intValue)
    else {
      const column = slots.get(kv.key)
      if (column && 'stringValue' in v && dedicated[column] === null) dedicated[column] = v.stringValue
      else generic.push(attrRow(kv))
    }
  }
  const start = span.startTimeUnixNano
  return {
    ...spanColumns(span, nested),
    Attrs: generic,
    DroppedAttributesCount: span.droppedAttributesCount ?? 0,
    Events: (span.events ?? []).map((e) => ({
      TimeSinceStartNano: BigInt.asUintN(64, e.timeUnixNano - start),
      Name: e.name ?? '',
      Attrs: attrRows(e.attributes),
      DroppedAttributesCount: e.droppedAttributesCount ?? 0,
    })),
    DroppedEventsCount: span.droppedEventsCount ?? 0,
    Links: linkRows(span.links),
    DroppedLinksCount: span.droppedLinksCount ?? 0,
    HttpMethod: httpMethod,
    HttpUrl: httpUrl,
    HttpStatusCode: httpStatus,
    DedicatedAttributes: dedicated,
  }
}
