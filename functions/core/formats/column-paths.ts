import type { DedicatedMapping } from './dedicated-columns.js'

/**
 * Which leaf columns the conversion reads. Paths are compared after dropping parquet LIST wrappers
 * (`list`, `element`), so one rule set serves the LIST-wrapped (vP2-4, vP5 previews) and the
 * plain-repeated (vP5) layouts. Everything else (TraceIDText, trace-level times, Root*, ServiceStats,
 * ParentID, NestedSet*, ChildCount, StartTimeRounded*, SpanCount, Test, ValueType, ValueDropped, unused
 * spare columns, ...) is never fetched.
 */

/** Strip LIST wrapper levels: `rs.list.element.Resource` -> `rs.Resource`. */
export function logicalPath(path: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < path.length; i++) {
    if (path[i] === 'list' && path[i + 1] === 'element') {
      i++
      continue
    }
    out.push(path[i]!)
  }
  return out
}

const ATTRIBUTE_LEAVES = ['Key', 'Value', 'ValueInt', 'ValueDouble', 'ValueBool', 'ValueKVList', 'ValueArray', 'IsArray', 'ValueUnsupported']

const RESOURCE = 'rs.Resource'
const SCOPE = 'rs.ss.Scope'
const SPAN = 'rs.ss.Spans'
const EVENT = `${SPAN}.Events`
const LINK = `${SPAN}.Links`

const FIXED_COLUMNS: readonly string[] = [
  'TraceID',
  `${RESOURCE}.ServiceName`,
  `${RESOURCE}.DroppedAttributesCount`,
  ...['Cluster', 'Namespace', 'Pod', 'Container', 'K8sClusterName', 'K8sNamespaceName', 'K8sPodName', 'K8sContainerName'].map((c) => `${RESOURCE}.${c}`),
  `${SCOPE}.Name`,
  `${SCOPE}.Version`,
  `${SCOPE}.DroppedAttributesCount`,
  ...['SpanID', 'ParentSpanID', 'Name', 'Kind', 'TraceState', 'StartTimeUnixNano', 'DurationNano', 'StatusCode', 'StatusMessage']
    .concat(['DroppedAttributesCount', 'DroppedEventsCount', 'Links', 'DroppedLinksCount', 'HttpMethod', 'HttpUrl', 'HttpStatusCode'])
    .map((c) => `${SPAN}.${c}`),
  ...['TimeUnixNano', 'TimeSinceStartNano', 'Name', 'DroppedAttributesCount'].map((c) => `${EVENT}.${c}`),
  ...['TraceID', 'SpanID', 'TraceState', 'DroppedAttributesCount'].map((c) => `${LINK}.${c}`),
  ...[RESOURCE, SCOPE, SPAN, EVENT, LINK].flatMap((g) => ATTRIBUTE_LEAVES.map((leaf) => `${g}.Attrs.${leaf}`)),
]

/** The set of logical leaf paths (dot-joined) the conversion needs for a block with this dedicated mapping. */
export function neededColumns(mapping: DedicatedMapping | undefined): Set<string> {
  const set = new Set(FIXED_COLUMNS)
  if (mapping) {
    for (const s of mapping.resource) set.add(`${RESOURCE}.DedicatedAttributes.${s.column}`)
    for (const s of mapping.span) set.add(`${SPAN}.DedicatedAttributes.${s.column}`)
    for (const s of mapping.event) set.add(`${EVENT}.DedicatedAttributes.${s.column}`)
  }
  return set
}
