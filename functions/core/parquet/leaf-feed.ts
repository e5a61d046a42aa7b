import type { SchemaTree } from 'hyparquet'
import { describeError } from '../contract/errors.js'
import type { ParquetBlockFile } from './block-file.js'
import type { LeafColumn } from './columns.js'
import type { DecodedPage } from './page-decoder.js'
import { LevelRun } from './page-levels.js'
import { LeafAssembler, compileLeafSteps, objectTemplate, type AssemblySteps, type FieldNames, type Templates } from './row-assembler.js'

/** Consecutive wanted rows `[row, rowEnd)` of a row group that lie in one page of a leaf. */
export interface LeafRun {
  page: DecodedPage
  rowGroup: number
  row: number
  rowEnd: number
}

/** A feed's level and value buffers. */
export interface FeedBuffers {
  levels: LevelRun
  /** Converted values of the current run (a plain array, so the assembler's loop sees one array kind). */
  values: unknown[]
}

const buffers: FeedBuffers[] = []

/**
 * The buffers of the `index`-th feed of a read, shared with the feeds in that position of every other
 * read: a read's feeds run from start to finish without yielding (no await between creating and
 * finishing them), so no two live feeds ever hold the same buffers, and after the first reads of a
 * block a read allocates no level or value buffers at all.
 */
export function feedBuffers(index: number): FeedBuffers {
  return (buffers[index] ??= { levels: new LevelRun(), values: [] })
}

/**
 * Feeds one leaf's runs into the row objects a few rows at a time, so the caller can interleave all
 * leaves row by row: each row's objects are then filled while they are still in the CPU cache, rather
 * than every leaf sweeping the whole result once. A run's levels and values are decoded when the feed
 * reaches it, into buffers reused for all its runs (and by later reads: `feedBuffers`).
 */
export class LeafFeed {
  private readonly assembler: LeafAssembler
  private runIndex = 0
  /** Next row of the current run to add, or -1 before the run is decoded. */
  private nextRow = -1
  private readonly levels: LevelRun
  private readonly values: unknown[]
  /** Where the next row starts in `levels` and `values`. */
  private entry = 0
  private value = 0
  /** Values of all runs decoded so far (for the check in `finish`). */
  private valuesRead = 0

  constructor(
    private readonly file: ParquetBlockFile,
    private readonly leaf: LeafColumn,
    steps: AssemblySteps,
    private readonly runs: readonly LeafRun[],
    private readonly rows: readonly (Record<string, unknown> | undefined)[],
    { levels, values }: FeedBuffers,
  ) {
    this.levels = levels
    this.values = values
    this.assembler = new LeafAssembler(steps, rows, leaf.maxDefinitionLevel, leaf.maxRepetitionLevel)
  }

  /** Add the leaf's part of the next `count` wanted rows. */
  feed(count: number): void {
    const { levels, leaf } = this
    while (count > 0) {
      const current = this.runs[this.runIndex]
      if (!current) throw this.file.corrupt(`column ${leaf.path.join('.')} ran out of rows`)
      if (this.nextRow < 0) this.decodeRun(current)
      const take = Math.min(count, current.rowEnd - this.nextRow)
      // The entries of the next `take` rows end where the level after them starts a row.
      let end = this.entry + take
      if (leaf.maxRepetitionLevel > 0) {
        const repetition = levels.repetition
        let rows = 1
        end = this.entry + 1
        while (end < levels.entries && (repetition[end] !== 0 || rows++ < take)) end++
      }
      try {
        const before = this.assembler.valuesConsumed
        this.assembler.add(levels.repetition, leaf.maxDefinitionLevel > 0 ? levels.definition : undefined, this.entry, end, this.values, this.value)
        this.value += this.assembler.valuesConsumed - before
      } catch (error) {
        throw this.file.corrupt(`row ${this.nextRow} of ${leaf.path.join('.')} in row group ${current.rowGroup} does not assemble: ${describeError(error)}`, error)
      }
      this.entry = end
      this.nextRow += take
      count -= take
      if (this.nextRow === current.rowEnd) {
        this.runIndex++
        this.nextRow = -1
      }
    }
  }

  /** Check that every row and value of the runs went in. */
  finish(): void {
    const { rowCount, valuesConsumed } = this.assembler
    if (rowCount !== this.rows.length || valuesConsumed !== this.valuesRead || this.runIndex !== this.runs.length) {
      throw this.file.corrupt(`column ${this.leaf.path.join('.')} assembled ${rowCount} rows and ${valuesConsumed} values, expected ${this.rows.length} and ${this.valuesRead}`)
    }
  }

  /** Decode a run's levels and values into the feed's buffers. */
  private decodeRun({ page, rowGroup, row, rowEnd }: LeafRun): void {
    const { levels } = this
    try {
      page.levels.readRows(row - page.firstRow, rowEnd - page.firstRow, levels)
      page.values.read(levels.valueStart, levels.valueStart + levels.values, this.values, 0)
    } catch (error) {
      throw this.file.corrupt(`row ${row} of ${this.leaf.path.join('.')} in row group ${rowGroup} does not decode: ${describeError(error)}`, error)
    }
    this.valuesRead += levels.values
    this.entry = 0
    this.value = 0
    this.nextRow = row
  }
}

/** How the rows of some leaves are assembled. */
export interface AssemblyPlan {
  /** A row object with every top-level field the leaves produce, all null. */
  rowTemplate: Record<string, unknown>
  /** Steps of the leaves our assembler handles; a top-level field with any other leaf is left out whole. */
  steps: Map<LeafColumn, AssemblySteps>
}

const plans = new WeakMap<readonly LeafColumn[], AssemblyPlan>()

/**
 * Plan the assembly of rows restricted to `leaves` under `root`, once per leaves array: a block search
 * reads window after window with the same leaves, often a row per window.
 */
export function planAssembly(root: SchemaTree, leaves: readonly LeafColumn[]): AssemblyPlan {
  let plan = plans.get(leaves)
  if (!plan) {
    plan = compileAssembly(root, leaves)
    plans.set(leaves, plan)
  }
  return plan
}

function compileAssembly(root: SchemaTree, leaves: readonly LeafColumn[]): AssemblyPlan {
  const fieldNames = fieldNamesOf(leaves)
  const templates: Templates = new Map()
  const steps = new Map<LeafColumn, AssemblySteps>()
  const unplain = new Set<string>()
  for (const leaf of leaves) {
    const compiled = compileLeafSteps(leaf, fieldNames, templates)
    if (compiled) steps.set(leaf, compiled)
    else unplain.add(leaf.path[0]!)
  }
  for (const leaf of steps.keys()) if (unplain.has(leaf.path[0]!)) steps.delete(leaf)
  return { rowTemplate: objectTemplate(fieldNames(root)), steps }
}

/** The fields objects of a group get: its children holding one of `leaves`. */
function fieldNamesOf(leaves: readonly LeafColumn[]): FieldNames {
  const held = new Set<string>()
  for (const leaf of leaves) for (let n = 1; n <= leaf.path.length; n++) held.add(leaf.path.slice(0, n).join('.'))
  const cache = new Map<SchemaTree, string[]>()
  return (group) => {
    let names = cache.get(group)
    if (!names) {
      names = group.children.filter((child) => held.has(child.path.join('.'))).map((child) => child.element.name)
      cache.set(group, names)
    }
    return names
  }
}
