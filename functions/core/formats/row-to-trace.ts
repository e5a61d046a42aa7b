import type { BlockMeta } from '../blocks/block-meta.js'
import type { InstrumentationScope, KeyValue, Resource, ResourceSpans, ScopeSpans, Span, SpanEvent, SpanLink, Trace } from '../otlp/model.js'
import { decodeAttributes, type AttributeDecoder } from './attributes.js'
import { decodeLinkSliceMessage, ProtobufDecodeError } from '../otlp/protobuf-decode.js'
import { dedicatedMappingFor, readDedicated, type DedicatedModel, type DedicatedSlot } from './dedicated-columns.js'
import { addU64, asU64, big, bytes, group, groups, int, optBig, optStr, str, type Row } from './row-values.js'

/**
 * Row -> OTLP conversion shared by every parquet format (spec §6.3): the tree `rs / ss / Spans` is the
 * same in all of them; a `FormatFlavor` names the handful of places where the versions differ.
 */

/** The per-version differences of the row layout. */
export interface FormatFlavor {
  /** Generic attributes of resource, scope, span and (vP4/5) event and link. */
  attribute: AttributeDecoder
  /** vParquet2/3 event attributes (protobuf `Value`); vP4/5 use `attribute`. */
  eventAttribute: AttributeDecoder
  /** Dedicated-column model, or none (vParquet2). */
  dedicated?: DedicatedModel
  /** vP2/3 store absolute event times (`TimeUnixNano`), vP4/5 offsets from the span start. */
  eventTime: 'absolute' | 'relative'
  /** vP2/3 store links as protobuf `LinkSlice` bytes, vP4/5 as columns. */
  links: 'protobuf' | 'columns'
}

const RESOURCE_WELL_KNOWN: ReadonlyArray<readonly [string, string]> = [
  ['Cluster', 'cluster'],
  ['Namespace', 'namespace'],
  ['Pod', 'pod'],
  ['Container', 'container'],
  ['K8sClusterName', 'k8s.cluster.name'],
  ['K8sNamespaceName', 'k8s.namespace.name'],
  ['K8sPodName', 'k8s.pod.name'],
  ['K8sContainerName', 'k8s.container.name'],
]

const NO_SLOTS: readonly DedicatedSlot[] = []

interface Context {
  flavor: FormatFlavor
  traceId: Uint8Array
  resourceSlots: readonly DedicatedSlot[]
  spanSlots: readonly DedicatedSlot[]
  eventSlots: readonly DedicatedSlot[]
}

/** Convert one assembled row (one trace) into the trace model, in stored order. */
export function convertTraceRow(row: Row, meta: BlockMeta, flavor: FormatFlavor): Trace {
  const mapping = flavor.dedicated ? dedicatedMappingFor(meta, flavor.dedicated) : undefined
  const ctx: Context = {
    flavor,
    traceId: bytes(row, 'TraceID'),
    resourceSlots: mapping?.resource ?? NO_SLOTS,
    spanSlots: mapping?.span ?? NO_SLOTS,
    eventSlots: mapping?.event ?? NO_SLOTS,
  }
  const resourceSpans = groups(row, 'rs').map((rs) => convertResourceSpans(rs, ctx))
  return resourceSpans.length > 0 ? { resourceSpans } : {}
}

function withAttributes<T extends { attributes?: KeyValue[] }>(target: T, attributes: KeyValue[]): T {
  if (attributes.length > 0) target.attributes = attributes
  return target
}

function withCount<T extends object>(target: T, key: keyof T & string, n: number): T {
  if (n !== 0) (target as Record<string, unknown>)[key] = n >>> 0
  return target
}

function convertResourceSpans(rs: Row, ctx: Context): ResourceSpans {
  const res = group(rs, 'Resource')
  const attributes = decodeAttributes(groups(res, 'Attrs'), ctx.flavor.attribute)
  attributes.push(...readDedicated(group(res, 'DedicatedAttributes'), ctx.resourceSlots))
  const serviceName = str(res, 'ServiceName')
  if (serviceName !== '') attributes.push({ key: 'service.name', value: { stringValue: serviceName } })
  for (const [column, key] of RESOURCE_WELL_KNOWN) {
    const v = optStr(res, column)
    if (v !== undefined) attributes.push({ key, value: { stringValue: v } })
  }
  const resource = withCount(withAttributes<Resource>({}, attributes), 'droppedAttributesCount', int(res, 'DroppedAttributesCount'))
  const out: ResourceSpans = { resource }
  const scopeSpans = groups(rs, 'ss').map((ss) => convertScopeSpans(ss, ctx))
  if (scopeSpans.length > 0) out.scopeSpans = scopeSpans
  return out
}

function convertScopeSpans(ss: Row, ctx: Context): ScopeSpans {
  const s = group(ss, 'Scope')
  const scope = withCount(withAttributes<InstrumentationScope>({}, decodeAttributes(groups(s, 'Attrs'), ctx.flavor.attribute)), 'droppedAttributesCount', int(s, 'DroppedAttributesCount'))
  const name = str(s, 'Name')
  const version = str(s, 'Version')
  const out: ScopeSpans = { scope: { ...(name ? { name } : {}), ...(version ? { version } : {}), ...scope } }
  const spans = groups(ss, 'Spans').map((span) => convertSpan(span, ctx))
  if (spans.length > 0) out.spans = spans
  return out
}

function convertSpan(row: Row, ctx: Context): Span {
  const start = asU64(big(row, 'StartTimeUnixNano'))
  const span: Span = {
    traceId: ctx.traceId,
    spanId: bytes(row, 'SpanID'),
    startTimeUnixNano: start,
    endTimeUnixNano: addU64(start, big(row, 'DurationNano')),
    status: {},
  }
  const traceState = str(row, 'TraceState')
  if (traceState) span.traceState = traceState
  const parent = bytes(row, 'ParentSpanID')
  if (parent.length > 0) span.parentSpanId = parent
  const name = str(row, 'Name')
  if (name) span.name = name
  const kind = Number(big(row, 'Kind'))
  if (kind !== 0) span.kind = kind

  const attributes = decodeAttributes(groups(row, 'Attrs'), ctx.flavor.attribute)
  attributes.push(...readDedicated(group(row, 'DedicatedAttributes'), ctx.spanSlots))
  const method = optStr(row, 'HttpMethod')
  if (method !== undefined) attributes.push({ key: 'http.method', value: { stringValue: method } })
  const url = optStr(row, 'HttpUrl')
  if (url !== undefined) attributes.push({ key: 'http.url', value: { stringValue: url } })
  const statusCode = optBig(row, 'HttpStatusCode')
  if (statusCode !== undefined) attributes.push({ key: 'http.status_code', value: { intValue: statusCode } })
  withAttributes(span, attributes)
  withCount(span, 'droppedAttributesCount', int(row, 'DroppedAttributesCount'))

  const events = groups(row, 'Events').map((e) => convertEvent(e, start, ctx))
  if (events.length > 0) span.events = events
  withCount(span, 'droppedEventsCount', int(row, 'DroppedEventsCount'))
  const links = ctx.flavor.links === 'protobuf' ? protobufLinks(bytes(row, 'Links')) : groups(row, 'Links').map((l) => convertLink(l, ctx))
  if (links.length > 0) span.links = links
  withCount(span, 'droppedLinksCount', int(row, 'DroppedLinksCount'))

  const message = str(row, 'StatusMessage')
  if (message) span.status.message = message
  const code = Number(big(row, 'StatusCode'))
  if (code !== 0) span.status.code = code
  return span
}

function convertEvent(row: Row, spanStart: bigint, ctx: Context): SpanEvent {
  const time = ctx.flavor.eventTime === 'absolute' ? asU64(big(row, 'TimeUnixNano')) : addU64(spanStart, big(row, 'TimeSinceStartNano'))
  const event: SpanEvent = { timeUnixNano: time }
  const name = str(row, 'Name')
  if (name) event.name = name
  const attributes = decodeAttributes(groups(row, 'Attrs'), ctx.flavor.eventAttribute)
  attributes.push(...readDedicated(group(row, 'DedicatedAttributes'), ctx.eventSlots))
  withAttributes(event, attributes)
  return withCount(event, 'droppedAttributesCount', int(row, 'DroppedAttributesCount'))
}

function convertLink(row: Row, ctx: Context): SpanLink {
  const link: SpanLink = { traceId: bytes(row, 'TraceID'), spanId: bytes(row, 'SpanID') }
  const traceState = str(row, 'TraceState')
  if (traceState) link.traceState = traceState
  withAttributes(link, decodeAttributes(groups(row, 'Attrs'), ctx.flavor.attribute))
  return withCount(link, 'droppedAttributesCount', int(row, 'DroppedAttributesCount'))
}

/** Tempo ignores a `LinkSlice` that fails to decode: the span then has no links. */
function protobufLinks(raw: Uint8Array): SpanLink[] {
  if (raw.length === 0) return []
  try {
    return decodeLinkSliceMessage(raw)
  } catch (e) {
    if (e instanceof ProtobufDecodeError) return []
    throw e
  }
}
