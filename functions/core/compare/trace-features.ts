import { criticalPath, criticalTimeByOperation } from './critical-path.js'
import { boundedValue, featureId } from './feature-keys.js'
import { SPAN_KIND_NAMES } from '../otlp/enum-names.js'
import { attributeText, type TraceView, type ViewSpan } from './trace-view.js'

/** What one trace contributes to its group: presence features, attribute values and measures. */
export interface TraceFeatures {
  /** Presence feature IDs (everything but attributes). */
  presence: Set<string>
  /** Attribute values by `featureId('span-attribute'|'resource-attribute', key)`; cardinality decides later which count. */
  attributes: Map<string, Set<string>>
  /** Measure values by `featureId(measureKind, operation)`; `trace-duration` has subject `trace`. */
  measures: Map<string, number>
  /** Operations on the critical path with their milliseconds there. */
  criticalPath: Map<string, number>
  durationMs: number
}

/** Extract the features of one flattened trace. */
export function traceFeatures(view: TraceView): TraceFeatures {
  const presence = new Set<string>()
  const attributes = new Map<string, Set<string>>()
  const measures = new Map<string, number>()
  const perOperation = new Map<string, { count: number; duration: number; self: number }>()
  for (const span of view.spans) {
    presence.add(featureId('service', span.service))
    presence.add(featureId('operation', span.operation))
    presence.add(featureId('span-kind', SPAN_KIND_NAMES[span.kind]?.replace('SPAN_KIND_', '') ?? String(span.kind)))
    if (span.isError) {
      presence.add(featureId('error', span.operation))
      if (span.statusMessage !== '') presence.add(featureId('error-message', span.operation, boundedValue(span.statusMessage)))
    }
    for (const type of span.exceptionTypes) presence.add(featureId('exception', span.operation, boundedValue(type)))
    if (span.parent >= 0) presence.add(featureId('call-edge', view.spans[span.parent]!.operation, span.operation))
    addAttributes(attributes, 'span-attribute', span.attributes)
    addAttributes(attributes, 'resource-attribute', span.resourceAttributes)
    const op = perOperation.get(span.operation) ?? { count: 0, duration: 0, self: 0 }
    op.count++
    op.duration += span.end - span.start
    op.self += selfTime(view, span)
    perOperation.set(span.operation, op)
  }
  const root = view.roots[0]
  if (root !== undefined) presence.add(featureId('root-operation', view.spans[root]!.operation))
  for (const [operation, op] of perOperation) {
    measures.set(featureId('span-count', operation), op.count)
    // One observation per trace keeps the rank tests' samples independent: the operation's mean span.
    measures.set(featureId('duration', operation), op.duration / op.count)
    measures.set(featureId('self-time', operation), op.self)
  }
  measures.set(featureId('trace-duration', 'trace'), view.durationMs)
  const path = criticalTimeByOperation(view, criticalPath(view))
  const pathLength = [...path.values()].reduce((a, b) => a + b, 0)
  if (pathLength > 0) for (const [operation, ms] of path) measures.set(featureId('critical-path-share', operation), ms / pathLength)
  return { presence, attributes, measures, criticalPath: path, durationMs: view.durationMs }
}

function addAttributes(into: Map<string, Set<string>>, kind: 'span-attribute' | 'resource-attribute', list: ViewSpan['attributes']): void {
  for (const attribute of list) {
    // The service is a feature of its own.
    if (kind === 'resource-attribute' && attribute.key === 'service.name') continue
    const id = featureId(kind, attribute.key)
    let values = into.get(id)
    if (!values) into.set(id, (values = new Set()))
    values.add(boundedValue(attributeText(attribute.value)))
  }
}

/** The span's duration not covered by any of its children (children clamped to the span). */
export function selfTime(view: TraceView, span: ViewSpan): number {
  if (span.children.length === 0) return span.end - span.start
  const intervals = span.children
    .map((c) => [Math.max(view.spans[c]!.start, span.start), Math.min(view.spans[c]!.end, span.end)] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0])
  let covered = 0
  let from = span.start
  for (const [s, e] of intervals) {
    if (e <= from) continue
    covered += e - Math.max(s, from)
    from = e
  }
  return span.end - span.start - covered
}
