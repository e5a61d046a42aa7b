import type { AnyValue, KeyValue, Span, Trace } from '../../core/otlp/model.js'
import { compareUtf8 } from '../parquet/compare.js'
import { attrRow, type AttrRow } from './attributes.js'
import type { DedicatedSlot, DedicatedSlots } from './dedicated.js'
import { linkRows, scopeRow, spanColumns, traceColumns } from './row-common.js'
import { traceFacts, type NestedSet } from './trace-facts.js'

/**
 * One trace -> one vParquet5 row (spec §5.6, §6.3-6.5): no static well-known columns except
 * `service.name`; dedicated string columns take strings and all-string arrays, int columns ints and
 * all-int arrays (as repeated values); event dedicated columns; ChildCount, StartTimeRounded*,
 * per-scope SpanCount and the ServiceStats list.
 */

/** Build the vParquet5 row of `trace`. */
export function traceToRowV5(traceId: Uint8Array, trace: Trace, slots: DedicatedSlots): Record<string, unknown> {
  const resourceSlots = slotMap(slots.resource)
  const spanSlots = slotMap(slots.span)
  const eventSlots = slotMap(slots.event)
  const resources = (trace.resourceSpans ?? []).map((rs) => {
    let serviceName: string | undefined
    const split = splitAttributes(rs.resource.attributes, resourceSlots, (kv) => {
      if (kv.key === 'service.name' && 'stringValue' in kv.value && serviceName === undefined) {
        serviceName = kv.value.stringValue
        return true
      }
      return false
    })
    split.generic.sort((a, b) => compareUtf8(a.Key, b.Key))
    return { ServiceName: serviceName ?? '', Attrs: split.generic, DroppedAttributesCount: rs.resource.droppedAttributesCount ?? 0, DedicatedAttributes: split.dedicated }
  })
  const facts = traceFacts(
    trace,
    traceId,
    resources.map((r) => r.ServiceName),
  )
  return {
    ...traceColumns(traceId, facts),
    ServiceStats: facts.serviceStats.map((s) => ({ ServiceName: s.name, SpanCount: s.spans, ErrorCount: s.errors })),
    rs: (trace.resourceSpans ?? []).map((rs, i) => ({
      Resource: resources[i],
      ss: (rs.scopeSpans ?? []).map((ss) => ({
        Scope: scopeRow(ss.scope),
        Spans: (ss.spans ?? []).map((span) => spanRow(span, spanSlots, eventSlots, facts.nested.get(span)!)),
        SpanCount: ss.spans?.length ?? 0,
      })),
    })),
  }
}

function slotMap(slots: DedicatedSlot[]): Map<string, DedicatedSlot> {
  return new Map(slots.map((s) => [s.name, s]))
}

interface Split {
  generic: AttrRow[]
  dedicated: Record<string, string[] | bigint[]>
}

function splitAttributes(attributes: KeyValue[] | undefined, slots: Map<string, DedicatedSlot>, takeStatic: (kv: KeyValue) => boolean = () => false): Split {
  const dedicated: Record<string, string[] | bigint[]> = {}
  for (const s of slots.values()) dedicated[s.column] = []
  const filled = new Set<string>()
  const generic: AttrRow[] = []
  for (const kv of attributes ?? []) {
    if (takeStatic(kv)) continue
    const slot = slots.get(kv.key)
    const values = slot && !filled.has(slot.column) ? dedicatedValues(kv.value, slot.type) : undefined
    if (slot && values) {
      filled.add(slot.column)
      dedicated[slot.column] = values
      continue
    }
    generic.push(attrRow(kv))
  }
  return { generic, dedicated }
}

/** The repeated values a dedicated column of `type` stores for `v`, or undefined when it stays generic. */
function dedicatedValues(v: AnyValue, type: DedicatedSlot['type']): string[] | bigint[] | undefined {
  if (type === 'string') {
    if ('stringValue' in v) return [v.stringValue]
    if ('arrayValue' in v) {
      const values = v.arrayValue.values ?? []
      if (values.every((e) => 'stringValue' in e)) return values.map((e) => (e as { stringValue: string }).stringValue)
    }
    return undefined
  }
  if ('intValue' in v) return [BigInt.asIntN(64, v.intValue)]
  if ('arrayValue' in v) {
    const values = v.arrayValue.values ?? []
    if (values.every((e) => 'intValue' in e)) return values.map((e) => BigInt.asIntN(64, (e as { intValue: bigint }).intValue))
  }
  return undefined
}

function spanRow(span: Span, slots: Map<string, DedicatedSlot>, eventSlots: Map<string, DedicatedSlot>, nested: NestedSet): Record<string, unknown> {
  const start = span.startTimeUnixNano
  const split = splitAttributes(span.attributes, slots)
  const seconds = start / 1_000_000_000n
  const rounded = (n: bigint): number => (start === 0n ? 0 : Number(BigInt.asUintN(32, seconds / n)))
  return {
    ...spanColumns(span, nested),
    ChildCount: nested.children,
    Attrs: split.generic,
    DroppedAttributesCount: span.droppedAttributesCount ?? 0,
    Events: (span.events ?? []).map((e) => {
      const ev = splitAttributes(e.attributes, eventSlots)
      return {
        TimeSinceStartNano: BigInt.asUintN(64, e.timeUnixNano - start),
        Name: e.name ?? '',
        Attrs: ev.generic,
        DroppedAttributesCount: e.droppedAttributesCount ?? 0,
        DedicatedAttributes: ev.dedicated,
      }
    }),
    DroppedEventsCount: span.droppedEventsCount ?? 0,
    Links: linkRows(span.links),
    DroppedLinksCount: span.droppedLinksCount ?? 0,
    DedicatedAttributes: split.dedicated,
    StartTimeRounded15: rounded(15n),
    StartTimeRounded60: rounded(60n),
    StartTimeRounded300: rounded(300n),
    StartTimeRounded3600: rounded(3600n),
  }
}
