import type { BlockMeta, DedicatedColumn } from '../blocks/block-meta.js'
import type { AnyValue, KeyValue } from '../otlp/model.js'
import { list, toBigint, type Row } from './row-values.js'

/**
 * Dedicated ("spare") columns, spec §5.7/§6.5: which attribute name lives in which `StringNN`/`IntNN`
 * column of a scope's `DedicatedAttributes` group, and how values read back.
 */

/** One mapped spare column. */
export interface DedicatedSlot {
  name: string
  type: 'string' | 'int'
  /** Column name inside `DedicatedAttributes`, e.g. `String03` or `Int01`. */
  column: string
}

/** Mapped columns per scope, each in `meta.dedicatedColumns` order (strings and ints interleaved). */
export interface DedicatedMapping {
  resource: DedicatedSlot[]
  span: DedicatedSlot[]
  event: DedicatedSlot[]
}

/** vParquet3/4 accept only option-less string entries of resource/span scope; vParquet5 everything. */
export type DedicatedModel = 'v3' | 'v5'

const LIMITS: Record<DedicatedModel, Record<'string' | 'int', number>> = {
  v3: { string: 10, int: 0 },
  v5: { string: 20, int: 5 },
}

function accepts(model: DedicatedModel, c: DedicatedColumn): boolean {
  if (model === 'v5') return true
  return c.type === 'string' && c.options.length === 0 && c.scope !== 'event'
}

/** Build the per-scope mapping from the meta's list as stored (slots numbered per scope and type). */
export function mapDedicatedColumns(columns: readonly DedicatedColumn[], model: DedicatedModel): DedicatedMapping {
  const mapping: DedicatedMapping = { resource: [], span: [], event: [] }
  const used = { resource: { string: 0, int: 0 }, span: { string: 0, int: 0 }, event: { string: 0, int: 0 } }
  for (const c of columns) {
    if (!accepts(model, c)) continue
    const counter = used[c.scope]
    if (counter[c.type] >= LIMITS[model][c.type]) continue
    counter[c.type]++
    const prefix = c.type === 'string' ? 'String' : 'Int'
    mapping[c.scope].push({ name: c.name, type: c.type, column: `${prefix}${String(counter[c.type]).padStart(2, '0')}` })
  }
  return mapping
}

const cache = new WeakMap<BlockMeta, Map<DedicatedModel, DedicatedMapping>>()

/** `mapDedicatedColumns` for a meta, cached per meta object. */
export function dedicatedMappingFor(meta: BlockMeta, model: DedicatedModel): DedicatedMapping {
  let byModel = cache.get(meta)
  if (!byModel) cache.set(meta, (byModel = new Map()))
  let mapping = byModel.get(model)
  if (!mapping) byModel.set(model, (mapping = mapDedicatedColumns(meta.dedicatedColumns ?? [], model)))
  return mapping
}

function scalar(slot: DedicatedSlot, v: unknown): AnyValue | undefined {
  if (slot.type === 'int') {
    const n = toBigint(v)
    return n === undefined ? undefined : { intValue: n }
  }
  if (typeof v === 'string') return { stringValue: v }
  if (v instanceof Uint8Array) return { stringValue: new TextDecoder().decode(v) }
  return undefined
}

/**
 * Read back a scope's dedicated values in mapping order. vParquet3/4 (optional columns): a non-null
 * value is a scalar. vParquet5 (repeated columns): none => nothing, one => scalar, more => array.
 * Preview vParquet5 blocks have optional columns; a lone value reads the same as a one-element list.
 */
export function readDedicated(group: Row, slots: readonly DedicatedSlot[]): KeyValue[] {
  const out: KeyValue[] = []
  for (const slot of slots) {
    // Most spare columns are empty for most spans: skip them before allocating anything.
    const raw = group[slot.column]
    if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) continue
    const values = list(group, slot.column)
      .map((v) => scalar(slot, v))
      .filter((v): v is AnyValue => v !== undefined)
    if (values.length === 1) out.push({ key: slot.name, value: values[0]! })
    else if (values.length > 1) out.push({ key: slot.name, value: { arrayValue: { values } } })
  }
  return out
}
