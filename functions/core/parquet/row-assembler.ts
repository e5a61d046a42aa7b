import type { SchemaTree } from 'hyparquet'
import { isListLike } from 'hyparquet/src/schema.js'
import type { LeafColumn } from './columns.js'

/**
 * Dremel record assembly written straight into the row objects: each leaf's levels are walked once and
 * its values stored where they belong, creating the objects and arrays its siblings share on first use.
 * The result equals hyparquet's `assembleLists` + `assembleNested` (structs as objects, LIST groups and
 * repeated fields as arrays, an undefined optional as null, an undefined repeated as []), without its
 * per-column nested arrays and struct inversion, which dominated the time and garbage of reading rows.
 */

const OBJECT = 0
const ARRAY = 1
const VALUE = 2

/** One level of the output a leaf's path passes through. */
interface Step {
  kind: typeof OBJECT | typeof ARRAY | typeof VALUE
  /** Property name in the parent object, or null when the slot is the current item of an array. */
  key: string | null
  /** Repetition level of the enclosing array whose current item this slot is (when `key` is null). */
  itemOf: number
  /** Definition levels below this make the slot null (0: never null). */
  nullBelow: number
  /** ARRAY only: definition levels below this leave the array empty. */
  emptyBelow: number
  /** ARRAY only: the repetition level whose repeats add items to it. */
  repetition: number
  /**
   * OBJECT only: every field the object will get, in schema order, all null; new objects are clones,
   * so objects of one group share one shape and stores never add properties.
   */
  template: Record<string, unknown>
}

type Container = Record<string, unknown>

/** A leaf's compiled path through the row objects (opaque outside this module). */
export type AssemblySteps = readonly Step[]

/** Names of the fields a group's objects get (its children that hold a read leaf). */
export type FieldNames = (group: SchemaTree) => readonly string[]

/** Object templates per group, shared by the leaves of one plan (templates are only ever cloned). */
export type Templates = Map<SchemaTree, Record<string, unknown>>

const NO_TEMPLATE: Record<string, unknown> = Object.freeze({})
/**
 * Every empty list is this one frozen array: a list that is empty in one entry never gets items (its
 * instance has that single entry), and most attribute value lists are empty, so this saves an
 * allocation per attribute and list.
 */
const EMPTY_LIST: readonly unknown[] = Object.freeze([])

/**
 * An object with `names` as fields, in order, all null (not yet set). Built by JSON.parse because
 * objects grown key by key past a dozen fields fall into slow dictionary mode; parsed ones stay fast.
 */
export function objectTemplate(names: readonly string[]): Record<string, unknown> {
  return JSON.parse(`{${names.map((name) => `${JSON.stringify(name)}:null`).join(',')}}`) as Record<string, unknown>
}

/**
 * The steps of a leaf from the row object down, or undefined when its path holds something this
 * assembler does not model (MAP, VARIANT, unusual LIST shapes): such columns use hyparquet's assembly.
 */
export function compileLeafSteps(leaf: LeafColumn, fieldNames: FieldNames, templates: Templates = new Map()): AssemblySteps | undefined {
  const path = leaf.schemaPath
  const steps: Step[] = []
  let definition = 0
  let repetition = 0
  let key: string | null = path[1]?.element.name ?? null
  let itemOf = 0
  const push = (kind: Step['kind'], nullBelow: number, extra: Partial<Step> = {}) => {
    steps.push({ kind, key, itemOf, nullBelow, emptyBelow: 0, repetition: 0, template: NO_TEMPLATE, ...extra })
  }
  // After a repeated level the next slot is the array's current item.
  const enterArray = (emptyBelow: number, nullBelow: number) => {
    push(ARRAY, nullBelow, { emptyBelow, repetition })
    key = null
    itemOf = repetition
  }
  const templateOf = (node: SchemaTree) => {
    let template = templates.get(node)
    if (!template) templates.set(node, (template = objectTemplate(fieldNames(node))))
    return template
  }
  const object = (node: SchemaTree, nullBelow: number) => push(OBJECT, nullBelow, { template: templateOf(node) })
  for (let i = 1; i < path.length; i++) {
    const node = path[i]!
    const { repetition_type: kind, converted_type: converted, logical_type: logical } = node.element
    const isLeaf = i === path.length - 1
    if (converted === 'MAP' || converted === 'MAP_KEY_VALUE' || logical?.type === 'MAP' || logical?.type === 'VARIANT') return undefined
    if (converted === 'LIST' || logical?.type === 'LIST') {
      const list = path[i + 1]
      if (!isListLike(node) || kind === 'REPEATED' || !list || list.element.repetition_type !== 'REPEATED') return undefined
      const nullBelow = kind === 'OPTIONAL' ? ++definition : 0
      definition++
      repetition++
      enterArray(definition, nullBelow)
      i++ // the repeated `list` level is the array itself
      if (i === path.length - 1) {
        push(VALUE, 0)
        break
      }
      if (path[i + 1]!.element.repetition_type === 'REPEATED') return undefined
      continue
    }
    if (kind === 'REPEATED') {
      definition++
      repetition++
      enterArray(definition, 0)
      if (isLeaf) push(VALUE, 0)
      else object(node, 0)
    } else {
      const nullBelow = kind === 'OPTIONAL' ? ++definition : 0
      if (isLeaf) push(VALUE, nullBelow)
      else object(node, nullBelow)
    }
    if (!isLeaf) {
      key = path[i + 1]!.element.name
      itemOf = 0
    }
  }
  if (definition !== leaf.maxDefinitionLevel || repetition !== leaf.maxRepetitionLevel || steps.at(-1)?.kind !== VALUE) return undefined
  return steps
}

/** Fills rows from one leaf's level runs, remembering where the previous entry left off. */
export class LeafAssembler {
  private row = -1
  private valueCursor = 0
  private readonly itemIndex: Int32Array
  private readonly arrays: unknown[][]
  /** Step to resume at for an entry repeating at level r (the step after that level's ARRAY). */
  private readonly resumeAt: Int32Array

  constructor(
    private readonly steps: AssemblySteps,
    /** Rows to fill, in order; entries before the current row may be released (undefined). */
    private readonly rows: readonly (Container | undefined)[],
    private readonly maxDefinitionLevel: number,
    private readonly maxRepetitionLevel: number,
  ) {
    this.itemIndex = new Int32Array(maxRepetitionLevel + 1)
    this.arrays = new Array<unknown[]>(maxRepetitionLevel + 1)
    this.resumeAt = new Int32Array(maxRepetitionLevel + 1)
    steps.forEach((step, s) => {
      if (step.kind === ARRAY) this.resumeAt[step.repetition] = s + 1
    })
  }

  /** Rows begun so far. */
  get rowCount(): number {
    return this.row + 1
  }

  /** Values consumed so far (for checks). */
  get valuesConsumed(): number {
    return this.valueCursor
  }

  /**
   * Add entries `[from, to)` (whole rows) whose defined values are `values[valueStart...]` (a plain
   * array, so this loop sees one array kind). `definitionLevels` undefined means every entry is at the maximum.
   */
  add(
    repetitionLevels: Uint8Array,
    definitionLevels: Uint8Array | undefined,
    from: number,
    to: number,
    values: readonly unknown[],
    valueStart: number,
  ): void {
    const { steps, itemIndex, arrays, resumeAt, rows, maxRepetitionLevel } = this
    const stepCount = steps.length
    let v = valueStart
    for (let i = from; i < to; i++) {
      const r = maxRepetitionLevel > 0 ? repetitionLevels[i]! : 0
      const d = definitionLevels ? definitionLevels[i]! : this.maxDefinitionLevel
      let container: unknown
      let s: number
      if (r === 0) {
        container = rows[++this.row]
        if (container === undefined) throw new Error(`parquet column has more rows than the ${rows.length} asked for`)
        itemIndex.fill(0)
        s = 0
      } else {
        itemIndex[r]!++
        for (let k = r + 1; k <= maxRepetitionLevel; k++) itemIndex[k] = 0
        container = arrays[r]
        if (container === undefined) throw new Error('parquet column repeats before its first row')
        s = resumeAt[r]!
      }
      for (; s < stepCount; s++) {
        const step = steps[s]!
        let next: unknown
        if (step.key !== null) {
          const object = container as Container
          if (d < step.nullBelow) {
            object[step.key] = null
            break
          }
          if (step.kind === VALUE) {
            object[step.key] = values[v++]
            break
          }
          next = object[step.key]
          // Null here means "not created yet": a group that is really null was handled above.
          if (next === null) {
            next = step.kind === OBJECT ? { ...step.template } : d < step.emptyBelow ? EMPTY_LIST : []
            object[step.key] = next
          }
        } else {
          // Items are appended in order; an item another leaf created already is at `index`.
          const array = container as unknown[]
          const index = itemIndex[step.itemOf]!
          if (step.kind === VALUE) {
            array.push(d < step.nullBelow ? null : values[v++])
            break
          }
          if (index < array.length) {
            next = array[index]
          } else {
            next = d < step.nullBelow ? null : step.kind === OBJECT ? { ...step.template } : d < step.emptyBelow ? EMPTY_LIST : []
            array.push(next)
          }
          if (d < step.nullBelow) break
        }
        if (step.kind === ARRAY) {
          arrays[step.repetition] = next as unknown[]
          if (d < step.emptyBelow) break
        }
        container = next
      }
    }
    this.valueCursor += v - valueStart
  }
}
