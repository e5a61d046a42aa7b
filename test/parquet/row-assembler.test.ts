import { parquetSchema, type FileMetaData, type SchemaElement, type SchemaTree } from 'hyparquet'
import { describe, expect, it } from 'vitest'
import { assembleRows } from '../../functions/core/parquet/assemble-rows.js'
import { leafColumns, type LeafColumn } from '../../functions/core/parquet/columns.js'
import type { ParquetFooter } from '../../functions/core/parquet/footer.js'
import { planAssembly } from '../../functions/core/parquet/leaf-feed.js'
import type { RowSlice } from '../../functions/core/parquet/row-slice.js'
import { LeafAssembler } from '../../functions/core/parquet/row-assembler.js'

/**
 * The own assembler against hyparquet's assembleLists + assembleNested (reached through `assembleRows`)
 * on shapes Tempo's files do not have: optional groups, optional LIST groups and elements, lists of
 * lists, two-level lists, plain repeated groups and leaves. Records are random, shredded here into levels.
 */

type Rec = Record<string, unknown>

const leaf = (name: string, repetition: SchemaElement['repetition_type']): SchemaElement => ({ name, type: 'INT32', repetition_type: repetition })
const group = (name: string, repetition: SchemaElement['repetition_type'] | undefined, children: number, converted?: 'LIST'): SchemaElement => ({
  name,
  repetition_type: repetition,
  num_children: children,
  ...(converted ? { converted_type: converted } : {}),
})

// Depth-first flat schema, as in a footer.
const FLAT: SchemaElement[] = [
  group('root', undefined, 6),
  leaf('id', 'REQUIRED'),
  group('opt', 'OPTIONAL', 2),
  leaf('a', 'OPTIONAL'),
  leaf('b', 'REQUIRED'),
  group('items', 'OPTIONAL', 1, 'LIST'),
  group('list', 'REPEATED', 1),
  group('element', 'OPTIONAL', 3),
  leaf('x', 'OPTIONAL'),
  leaf('tags', 'REPEATED'),
  group('nested', 'REQUIRED', 1, 'LIST'),
  group('list', 'REPEATED', 1),
  leaf('element', 'OPTIONAL'),
  group('plain', 'REPEATED', 2),
  leaf('y', 'REQUIRED'),
  group('inner', 'OPTIONAL', 1),
  leaf('z', 'REPEATED'),
  group('twoLevel', 'REQUIRED', 1, 'LIST'),
  leaf('list', 'REPEATED'),
  group('deep', 'REQUIRED', 1),
  group('deeper', 'OPTIONAL', 1),
  leaf('w', 'OPTIONAL'),
]

const schema = parquetSchema({ schema: FLAT } as FileMetaData)
const footer = { schema, metadata: { row_groups: [] } } as unknown as ParquetFooter
const leaves = leafColumns(footer)

function prng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** A random record in the natural shape (null optional, arrays for lists). */
function randomRecord(random: () => number, id: number): Rec {
  const int = () => Math.floor(random() * 1000)
  const maybe = <T>(make: () => T): T | null => (random() < 0.3 ? null : make())
  const list = <T>(make: () => T, max = 3): T[] => Array.from({ length: Math.floor(random() * (max + 1)) }, make)
  return {
    id,
    opt: maybe(() => ({ a: maybe(int), b: int() })),
    items: maybe(() => list(() => maybe(() => ({ x: maybe(int), tags: list(int), nested: list(() => maybe(int)) })))),
    plain: list(() => ({ y: int(), inner: maybe(() => ({ z: list(int) })) })),
    twoLevel: list(int),
    deep: { deeper: maybe(() => ({ w: maybe(int) })) },
  }
}

interface Column {
  reps: number[]
  defs: number[]
  values: unknown[]
}

/** Dremel shredding of `records` into one level/value stream per leaf (path joined by dots). */
function shred(records: Rec[]): Map<string, Column> {
  const columns = new Map<string, Column>(leaves.map((l) => [l.path.join('.'), { reps: [], defs: [], values: [] }]))
  const emitNull = (node: SchemaTree, rep: number, def: number) => {
    if (node.children.length === 0) {
      const column = columns.get(node.path.join('.'))!
      column.reps.push(rep)
      column.defs.push(def)
    } else {
      for (const child of node.children) emitNull(child, rep, def)
    }
  }
  const single = (node: SchemaTree, value: unknown, rep: number, def: number, depth: number) => {
    if (node.children.length === 0) {
      const column = columns.get(node.path.join('.'))!
      column.reps.push(rep)
      column.defs.push(def)
      column.values.push(value)
      return
    }
    for (const child of node.children) visit(child, (value as Rec)[child.element.name], rep, def, depth)
  }
  const repeated = (node: SchemaTree, items: unknown[], rep: number, def: number, depth: number, each: (item: unknown, r: number) => void) => {
    if (items.length === 0) return emitNull(node, rep, def)
    items.forEach((item, i) => each(item, i === 0 ? rep : depth + 1))
  }
  function visit(node: SchemaTree, value: unknown, rep: number, def: number, depth: number): void {
    const kind = node.element.repetition_type
    if (node.element.converted_type === 'LIST') {
      if (kind === 'OPTIONAL' && value === null) return emitNull(node, rep, def)
      const d = kind === 'OPTIONAL' ? def + 1 : def
      const list = node.children[0]!
      repeated(list, value as unknown[], rep, d, depth, (item, r) => {
        if (list.children.length === 0) single(list, item, r, d + 1, depth + 1)
        else visit(list.children[0]!, item, r, d + 1, depth + 1)
      })
      return
    }
    if (kind === 'REPEATED') return repeated(node, value as unknown[], rep, def, depth, (item, r) => single(node, item, r, def + 1, depth + 1))
    if (kind === 'OPTIONAL') return value === null ? emitNull(node, rep, def) : single(node, value, rep, def + 1, depth)
    single(node, value, rep, def, depth)
  }
  for (const record of records) for (const child of schema.children) visit(child, record[child.element.name], 0, 0, 0)
  return columns
}

/** hyparquet's assembly of the columns (the reference). */
function hyparquetRows(columns: Map<string, Column>, count: number): Rec[] {
  const slices = new Map<LeafColumn, RowSlice>()
  for (const l of leaves) {
    const c = columns.get(l.path.join('.'))!
    slices.set(l, { repetitionLevels: [...c.reps], definitionLevels: [...c.defs], values: c.values })
  }
  return assembleRows(schema, slices, count)
}

/** The own assembler, fed `rowsPerCall` rows per call as the reader does. */
function ownRows(columns: Map<string, Column>, count: number, rowsPerCall: number): Rec[] {
  const plan = planAssembly(schema, leaves)
  expect(plan.steps.size).toBe(leaves.length)
  const rows = Array.from({ length: count }, () => ({ ...plan.rowTemplate }))
  for (const l of leaves) {
    const c = columns.get(l.path.join('.'))!
    const assembler = new LeafAssembler(plan.steps.get(l)!, rows, l.maxDefinitionLevel, l.maxRepetitionLevel)
    const rowStarts = c.reps.flatMap((r, i) => (r === 0 ? [i] : []))
    rowStarts.push(c.reps.length)
    let value = 0
    for (let row = 0; row < count; row += rowsPerCall) {
      const from = rowStarts[row]!
      const to = rowStarts[Math.min(row + rowsPerCall, count)]!
      assembler.add(Uint8Array.from(c.reps), l.maxDefinitionLevel > 0 ? Uint8Array.from(c.defs) : undefined, from, to, c.values, value)
      for (let i = from; i < to; i++) if (c.defs[i] === l.maxDefinitionLevel) value++
    }
    expect(assembler.rowCount).toBe(count)
    expect(assembler.valuesConsumed).toBe(c.values.length)
  }
  return rows
}

describe('LeafAssembler equals hyparquet assembleLists + assembleNested', () => {
  it('compiles every leaf of nested optional/repeated/LIST shapes', () => {
    expect(leaves.map((l) => l.path.join('.'))).toContain('items.list.element.nested.list.element')
    expect(planAssembly(schema, leaves).steps.size).toBe(leaves.length)
  })

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`random records (seed ${seed}), whole and row by row`, () => {
      const random = prng(seed)
      const records = Array.from({ length: 40 }, (_, i) => randomRecord(random, i))
      const columns = shred(records)
      const expected = hyparquetRows(columns, records.length)
      // The shredder and hyparquet agree on the natural shape, so the reference is meaningful.
      expect(expected).toEqual(records)
      expect(ownRows(columns, records.length, records.length)).toEqual(expected)
      expect(ownRows(columns, records.length, 1)).toEqual(expected)
      expect(ownRows(columns, records.length, 7)).toEqual(expected)
    })
  }

  it('keeps nulls and empty lists apart', () => {
    const records: Rec[] = [
      { id: 1, opt: null, items: null, plain: [], twoLevel: [], deep: { deeper: null } },
      { id: 2, opt: { a: null, b: 0 }, items: [], plain: [{ y: 1, inner: null }], twoLevel: [0], deep: { deeper: { w: null } } },
      { id: 3, opt: { a: 5, b: 6 }, items: [null, { x: null, tags: [], nested: [] }, { x: 1, tags: [2, 3], nested: [null, 4] }], plain: [{ y: 2, inner: { z: [] } }], twoLevel: [7, 8], deep: { deeper: { w: 9 } } },
    ]
    const columns = shred(records)
    const own = ownRows(columns, records.length, 1)
    expect(own).toEqual(hyparquetRows(columns, records.length))
    expect(own).toEqual(records)
    // An empty list is a frozen shared array: rows are read-only.
    expect(Object.isFrozen((own[0] as { plain: unknown[] }).plain)).toBe(true)
  })

  it('rejects more rows than asked for', () => {
    const random = prng(9)
    const records = Array.from({ length: 3 }, (_, i) => randomRecord(random, i))
    const columns = shred(records)
    const plan = planAssembly(schema, leaves)
    const id = leaves.find((l) => l.path.join('.') === 'id')!
    const rows = [{ ...plan.rowTemplate }, { ...plan.rowTemplate }]
    const assembler = new LeafAssembler(plan.steps.get(id)!, rows, 0, 0)
    const c = columns.get('id')!
    expect(() => assembler.add(Uint8Array.from(c.reps), undefined, 0, c.reps.length, c.values, 0)).toThrow(/more rows/)
  })
})
