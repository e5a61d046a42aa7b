import type { LeafColumn } from './columns.js'
import type { DecodedPage } from './page-decoder.js'
import { LevelRun } from './page-levels.js'

/**
 * Levels and converted values of some rows of a column, gathered for hyparquet's `assembleLists` (the
 * assembly of columns our own assembler does not model).
 */
export interface RowSlice {
  repetitionLevels: number[]
  definitionLevels: number[]
  values: unknown[]
}

/** An empty slice. */
export function emptySlice(): RowSlice {
  return { repetitionLevels: [], definitionLevels: [], values: [] }
}

const scratch = new LevelRun()

/** Append the levels and converted values of rows `[fromRow, toRow)` (page-relative) of `page` to `out`. */
export function sliceRows(page: DecodedPage, fromRow: number, toRow: number, leaf: LeafColumn, out: RowSlice): void {
  page.levels.readRows(fromRow, toRow, scratch)
  for (let e = 0; e < scratch.entries; e++) {
    if (leaf.maxRepetitionLevel > 0) out.repetitionLevels.push(scratch.repetition[e]!)
    if (leaf.maxDefinitionLevel > 0) out.definitionLevels.push(scratch.definition[e]!)
  }
  const at = out.values.length
  out.values.length = at + scratch.values
  page.values.read(scratch.valueStart, scratch.valueStart + scratch.values, out.values, at)
}
