import { fileWriter } from 'hyparquet-writer'
import type { ResultLine } from '../core/contract/types.js'
import { writeSpansParquet, type SpansParquetSummary } from '../core/export/spans-parquet.js'
import { UsageError } from './args.js'

/** The `tempo-batch fetch --format` value this module adds. */
export const SPANS_PARQUET_FORMAT = 'spans-parquet'

/** Fail early (before fetching) when `--out` names no file: Parquet is no terminal output. */
export function checkSpansParquetOut(out: string | undefined): string {
  if (out === undefined || out === '-') throw new UsageError('--out', `--format ${SPANS_PARQUET_FORMAT} writes a Parquet file: give --out <file>`)
  return out
}

/** Write a batch result as a spans table to the Parquet file `out`. */
export async function writeSpansParquetFile(lines: AsyncIterable<ResultLine>, out: string): Promise<SpansParquetSummary> {
  return writeSpansParquet(lines, fileWriter(out))
}
