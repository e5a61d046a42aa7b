import type { HybridDecoder } from './hybrid-decoder.js'

/**
 * The levels of some consecutive rows of a page, as `PageLevels.readRows` leaves them: buffers owned by
 * the reader of a leaf and reused from run to run (and page to page), so reading rows allocates nothing
 * once they have grown to the largest run.
 */
export class LevelRun {
  /** Repetition levels (repeated columns only). */
  repetition = new Uint8Array(64)
  /** Definition levels (columns with definition levels only). */
  definition = new Uint8Array(64)
  /** Level entries of the rows read. */
  entries = 0
  /** Index (among the page's non-null values) of the first value of the rows read. */
  valueStart = 0
  /** Non-null values in the rows read. */
  values = 0

  /** Room for `entries` levels. */
  reserve(entries: number): void {
    if (this.repetition.length < entries) {
      const size = Math.max(entries, this.repetition.length * 2)
      this.repetition = new Uint8Array(size)
      this.definition = new Uint8Array(size)
    }
  }
}

const firstLevel = new Uint8Array(1)

/**
 * A data page's repetition and definition levels, read forward like a cursor: rows before the wanted ones
 * are passed run by run (counting row starts and defined values, storing nothing) and only the wanted
 * rows' levels are decoded, into the caller's `LevelRun`. Asking for a row behind the cursor starts over
 * from the page start (rows are read in ascending order, so that is rare). A column that is neither
 * repeated nor nullable has no levels: entry i is row i is value i.
 */
export class PageLevels {
  private entry = 0
  private row = 0
  private value = 0
  private leadingChecked = false

  constructor(
    readonly entryCount: number,
    readonly rowCount: number,
    private readonly repetition: HybridDecoder | undefined,
    private readonly definition: HybridDecoder | undefined,
    private readonly maxDefinitionLevel: number,
  ) {
    if (!repetition && rowCount !== entryCount) throw new Error(`parquet page holds ${entryCount} values of a non-repeated column but ${rowCount} rows`)
  }

  /** Decode the levels of rows `[from, to)` (page-relative, ascending) into `run`. */
  readRows(from: number, to: number, run: LevelRun): void {
    if (from < 0 || to > this.rowCount || to <= from) throw new Error(`parquet rows [${from}, ${to}) are not in a page of ${this.rowCount} rows`)
    if (from < this.row) this.rewind()
    if (from > this.row) this.pass(from - this.row)
    const rows = to - from
    let entries = rows
    if (this.repetition) {
      this.repetition.mark()
      entries = this.passRepetition(rows)
      this.repetition.restore()
      run.reserve(entries)
      this.repetition.read(run.repetition, 0, entries)
    } else {
      this.checkEntries(entries)
      run.reserve(entries)
    }
    let values = entries
    if (this.definition) {
      const definition = run.definition
      const max = this.maxDefinitionLevel
      this.definition.read(definition, 0, entries)
      values = 0
      for (let e = 0; e < entries; e++) if (definition[e] === max) values++
    }
    run.entries = entries
    run.valueStart = this.value
    run.values = values
    this.advance(rows, entries, values)
  }

  /** Index (among the non-null values) of the first value of `row`; moves the cursor there. */
  valueOf(row: number): number {
    if (row < 0 || row > this.rowCount) throw new Error(`parquet row ${row} is outside a page of ${this.rowCount} rows`)
    if (row < this.row) this.rewind()
    if (row > this.row) this.pass(row - this.row)
    return this.value
  }

  private rewind(): void {
    this.repetition?.reset()
    this.definition?.reset()
    this.entry = 0
    this.row = 0
    this.value = 0
  }

  /** Pass `rows` rows without decoding their levels. */
  private pass(rows: number): void {
    const entries = this.repetition ? this.passRepetition(rows) : rows
    if (!this.repetition) this.checkEntries(entries)
    const values = this.definition ? this.definition.countEqual(entries, this.maxDefinitionLevel) : entries
    this.advance(rows, entries, values)
  }

  /** Pass `rows` rows of repetition levels; returns their entries. */
  private passRepetition(rows: number): number {
    const repetition = this.repetition!
    if (this.entry === 0 && !this.leadingChecked && this.entryCount > 0) {
      repetition.mark()
      repetition.read(firstLevel, 0, 1)
      repetition.restore()
      if (firstLevel[0] !== 0) throw new Error('parquet page does not start at a row boundary')
      this.leadingChecked = true
    }
    const entries = repetition.passRows(rows, this.entryCount - this.entry)
    if (repetition.rowsPassed !== rows) throw new Error(`parquet page holds ${this.row + repetition.rowsPassed} rows, expected ${this.rowCount}`)
    return entries
  }

  private checkEntries(entries: number): void {
    if (this.entry + entries > this.entryCount) throw new Error(`parquet page holds ${this.entryCount} values, ${this.entry + entries} were asked for`)
  }

  private advance(rows: number, entries: number, values: number): void {
    this.row += rows
    this.entry += entries
    this.value += values
    if (this.row === this.rowCount && this.entry !== this.entryCount) {
      throw new Error(`parquet page holds ${this.entryCount} level entries, its ${this.rowCount} rows cover ${this.entry}`)
    }
  }
}

/** Rows in a page of a repeated column whose row count nothing else gives: one per zero repetition level. */
export function countRows(repetition: HybridDecoder, entryCount: number): number {
  repetition.passRows(entryCount, entryCount)
  const rows = repetition.rowsPassed
  repetition.reset()
  return rows
}
