import type { DecodedArray, SchemaTree } from 'hyparquet'
import { convert } from 'hyparquet/src/convert.js'
import { describeError } from '../contract/errors.js'
import type { ParquetBlockFile } from './block-file.js'
import { chunkOf, columnDecoder, type LeafColumn } from './columns.js'
import { measureRows, type DecodedPage, type RowRun } from './page-decoder.js'
import { LeafAssembler, compileLeafSteps, objectTemplate, type AssemblySteps, type FieldNames } from './row-assembler.js'

/** Consecutive wanted rows `[row, rowEnd)` of a row group that lie in one page of a leaf. */
export interface LeafRun {
  page: DecodedPage
  run: RowRun
  rowGroup: number
  row: number
  rowEnd: number
}

/**
 * Feeds one leaf's runs into the row objects a few rows at a time, so the caller can interleave all
 * leaves row by row: each row's objects are then filled while they are still in the CPU cache, rather
 * than every leaf sweeping the whole result once.
 */
export class LeafFeed {
  private readonly assembler: LeafAssembler
  private runIndex = 0
  private nextRow = -1
  /** Converted values of the current run (dictionary entries looked up). */
  private values: unknown[] | undefined

  constructor(
    private readonly file: ParquetBlockFile,
    private readonly leaf: LeafColumn,
    steps: AssemblySteps,
    private readonly runs: readonly LeafRun[],
    private readonly rows: readonly (Record<string, unknown> | undefined)[],
  ) {
    this.assembler = new LeafAssembler(steps, rows, leaf.maxDefinitionLevel, leaf.maxRepetitionLevel)
  }

  /** Add the leaf's part of the next `count` wanted rows. */
  feed(count: number): void {
    while (count > 0) {
      const current = this.runs[this.runIndex]
      if (!current) throw this.file.corrupt(`column ${this.leaf.path.join('.')} ran out of rows`)
      const { page, run, rowGroup } = current
      if (!this.values) {
        this.values = this.runValues(current)
        this.nextRow = current.row
      }
      const take = Math.min(count, current.rowEnd - this.nextRow)
      try {
        const part = measureRows(page, this.nextRow, this.nextRow + take)
        const definitionLevels = this.leaf.maxDefinitionLevel > 0 ? page.definitionLevels : undefined
        this.assembler.add(page.repetitionLevels, definitionLevels, part.entryStart, part.entryEnd, this.values, part.valueStart - run.valueStart)
      } catch (error) {
        throw this.file.corrupt(`row ${this.nextRow} of ${this.leaf.path.join('.')} in row group ${rowGroup} does not assemble: ${describeError(error)}`, error)
      }
      this.nextRow += take
      count -= take
      if (this.nextRow === current.rowEnd) {
        this.runIndex++
        this.values = undefined
      }
    }
  }

  /** Check that every row and value of the runs went in. */
  finish(): void {
    const values = this.runs.reduce((n, r) => n + r.run.valueEnd - r.run.valueStart, 0)
    const { rowCount, valuesConsumed } = this.assembler
    if (rowCount !== this.rows.length || valuesConsumed !== values || this.runIndex !== this.runs.length) {
      throw this.file.corrupt(`column ${this.leaf.path.join('.')} assembled ${rowCount} rows and ${valuesConsumed} values, expected ${this.rows.length} and ${values}`)
    }
  }

  /** A run's converted values as a plain array, so the assembler's loop sees one array kind. */
  private runValues({ page, run, rowGroup }: LeafRun): unknown[] {
    const out = new Array<unknown>(run.valueEnd - run.valueStart)
    if (page.dictionary) {
      const { dictionary, values } = page
      for (let i = run.valueStart, o = 0; i < run.valueEnd; i++) out[o++] = dictionary[values[i] as number]
      return out
    }
    const decoder = columnDecoder(this.leaf, chunkOf(this.file.footer, rowGroup, this.leaf).codec)
    const converted = convert(page.values.slice(run.valueStart, run.valueEnd) as DecodedArray, decoder)
    for (let i = 0; i < converted.length; i++) out[i] = converted[i]
    return out
  }
}

/** How the rows of some leaves are assembled. */
export interface AssemblyPlan {
  /** A row object with every top-level field the leaves produce, all null. */
  rowTemplate: Record<string, unknown>
  /** Steps of the leaves our assembler handles; a top-level field with any other leaf is left out whole. */
  steps: Map<LeafColumn, AssemblySteps>
}

/** Plan the assembly of rows restricted to `leaves` under `root`. */
export function planAssembly(root: SchemaTree, leaves: readonly LeafColumn[]): AssemblyPlan {
  const fieldNames = fieldNamesOf(leaves)
  const steps = new Map<LeafColumn, AssemblySteps>()
  const unplain = new Set<string>()
  for (const leaf of leaves) {
    const compiled = compileLeafSteps(leaf, fieldNames)
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
