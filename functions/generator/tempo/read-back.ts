import type { AnyValue, KeyValue, ResourceSpans, Span, Trace } from '../../core/otlp/model.js'
import { compareUtf8 } from '../parquet/compare.js'
import type { DedicatedSlot, DedicatedSlots, GeneratedFormat } from './dedicated.js'

/**
 * What Tempo returns for a trace the generator stored: the input with Tempo's documented lossy points
 * applied (spec §5.7, §6.3-6.5). Tests compare the reader's output with this, so every difference
 * from the synthesised trace is named here:
 * - span and link `flags`, and every `schemaUrl`, are not stored;
 * - resource attributes come back as: generic ones sorted by key, then dedicated columns in meta order,
 *   then `service.name` (if a non-empty string), then (vP4) the well-known k8s columns in fixed order;
 * - span attributes: generic ones in order, then dedicated columns, then (vP4) `http.method`,
 *   `http.url`, `http.status_code`; event attributes (vP5): generic, then event dedicated columns;
 * - vP5 dedicated columns hold arrays as repeated values: a one-element array comes back as a scalar,
 *   an empty one disappears.
 */
export function tempoReadBack(trace: Trace, format: GeneratedFormat, slots: DedicatedSlots): Trace {
  return { resourceSpans: (trace.resourceSpans ?? []).map((rs) => resourceSpans(rs, format, slots)) }
}

const V4_RESOURCE_STATIC = ['service.name', 'cluster', 'namespace', 'pod', 'container', 'k8s.cluster.name', 'k8s.namespace.name', 'k8s.pod.name', 'k8s.container.name']
const V4_SPAN_STATIC: Record<string, 'stringValue' | 'intValue'> = { 'http.method': 'stringValue', 'http.url': 'stringValue', 'http.status_code': 'intValue' }

function resourceSpans(rs: ResourceSpans, format: GeneratedFormat, slots: DedicatedSlots): ResourceSpans {
  const staticKeys = format === 'vParquet4' ? V4_RESOURCE_STATIC : ['service.name']
  const statics = new Map<string, KeyValue>()
  const takeStatic = (kv: KeyValue): boolean => {
    if (!staticKeys.includes(kv.key) || !('stringValue' in kv.value) || statics.has(kv.key)) return false
    statics.set(kv.key, kv)
    return true
  }
  const { generic, dedicated } = split(rs.resource.attributes, slots.resource, format, takeStatic)
  generic.sort((a, b) => compareUtf8(a.key, b.key))
  const attributes = [...generic, ...dedicated]
  for (const key of staticKeys) {
    const kv = statics.get(key)
    if (kv && !(key === 'service.name' && (kv.value as { stringValue: string }).stringValue === '')) attributes.push(kv)
  }
  const resource: ResourceSpans['resource'] = {}
  if (attributes.length > 0) resource.attributes = attributes
  if (rs.resource.droppedAttributesCount) resource.droppedAttributesCount = rs.resource.droppedAttributesCount
  return {
    resource,
    scopeSpans: (rs.scopeSpans ?? []).map((ss) => ({ scope: ss.scope, spans: (ss.spans ?? []).map((span) => spanOut(span, format, slots)) })),
  }
}

function spanOut(span: Span, format: GeneratedFormat, slots: DedicatedSlots): Span {
  const statics = new Map<string, KeyValue>()
  const takeStatic = (kv: KeyValue): boolean => {
    const kind = format === 'vParquet4' ? V4_SPAN_STATIC[kv.key] : undefined
    if (!kind || !(kind in kv.value) || statics.has(kv.key)) return false
    statics.set(kv.key, kv)
    return true
  }
  const { generic, dedicated } = split(span.attributes, slots.span, format, takeStatic)
  const attributes = [...generic, ...dedicated, ...['http.method', 'http.url', 'http.status_code'].flatMap((k) => statics.get(k) ?? [])]
  const out: Span = { ...span, attributes }
  delete out.flags
  if (span.events) {
    out.events = span.events.map((e) => {
      const ev = split(e.attributes, format === 'vParquet5' ? slots.event : [], format, () => false)
      return { ...e, attributes: [...ev.generic, ...ev.dedicated] }
    })
  }
  if (span.links) {
    out.links = span.links.map((l) => {
      const copy = { ...l }
      delete copy.flags
      return copy
    })
  }
  return out
}

function split(attributes: KeyValue[] | undefined, slots: DedicatedSlot[], format: GeneratedFormat, takeStatic: (kv: KeyValue) => boolean): { generic: KeyValue[]; dedicated: KeyValue[] } {
  const filled = new Map<string, AnyValue[]>()
  const generic: KeyValue[] = []
  for (const kv of attributes ?? []) {
    if (takeStatic(kv)) continue
    const slot = slots.find((s) => s.name === kv.key && (format === 'vParquet5' || s.type === 'string'))
    const values = slot && !filled.has(slot.name) ? dedicatedValues(kv.value, slot, format) : undefined
    if (slot && values) filled.set(slot.name, values)
    else generic.push(kv)
  }
  const dedicated: KeyValue[] = []
  for (const slot of slots) {
    const values = filled.get(slot.name)
    if (!values || values.length === 0) continue
    dedicated.push({ key: slot.name, value: values.length === 1 ? values[0]! : { arrayValue: { values } } })
  }
  return { generic, dedicated }
}

function dedicatedValues(v: AnyValue, slot: DedicatedSlot, format: GeneratedFormat): AnyValue[] | undefined {
  const scalar = slot.type === 'string' ? 'stringValue' : 'intValue'
  if (scalar in v) return [v]
  if (format === 'vParquet5' && 'arrayValue' in v) {
    const values = v.arrayValue.values ?? []
    if (values.every((e) => scalar in e)) return values
  }
  return undefined
}
