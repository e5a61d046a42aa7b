import { fileWriter } from 'hyparquet-writer'
import { writeSpansParquet } from '../export/spans-parquet.js'
import type { OutputFormat } from './output-format.js'

/** One flat span table (see `writeSpansParquet`) written to the `--out` file, for DuckDB, pandas or Athena. */
export const spansParquetFormat: OutputFormat = {
  name: 'spans-parquet',
  description: 'Parquet: one row per span (IDs, service, name, kind, status, times, attributes as JSON, result status); needs --out <file>',
  output: 'file',
  async write(records, { path }) {
    async function* lines() {
      for await (const record of records) yield record.result
    }
    await writeSpansParquet(lines(), fileWriter(path))
  },
}
