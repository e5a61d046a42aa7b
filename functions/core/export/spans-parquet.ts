import { ByteWriter, ParquetWriter, type Writer } from 'hyparquet-writer'
import type { ResultLine } from '../contract/types.js'
import { traceFromJson } from '../otlp/json-parse.js'
import { readResultLines } from '../results/result-lines.js'
import type { ObjectStore } from '../storage/object-store.js'
import { SPANS_SCHEMA, SpanColumns } from './span-columns.js'

/**
 * A batch result as one flat span table in Parquet (hyparquet-writer), so DuckDB, pandas or Athena read
 * a batch without parsing OTLP JSON. Lines are read as they stream; memory holds one row group of spans.
 */

/** Options of `writeSpansParquet`. */
export interface SpansParquetOptions {
  /** Spans per row group (default 100,000). */
  rowGroupSpans?: number
}

/** What was written. */
export interface SpansParquetSummary {
  traces: number
  spans: number
}

/** Write the spans of every line holding a trace into `writer` (a hyparquet-writer `Writer`) and finish the file. */
export async function writeSpansParquet(lines: AsyncIterable<ResultLine> | Iterable<ResultLine>, writer: Writer, options: SpansParquetOptions = {}): Promise<SpansParquetSummary> {
  const rowGroupSpans = options.rowGroupSpans ?? 100_000
  const parquet = new ParquetWriter({ writer, schema: SPANS_SCHEMA, createdBy: 'tempo-batch spans-parquet' })
  const columns = new SpanColumns()
  let traces = 0
  let spans = 0
  const flush = async () => {
    if (columns.size === 0) return
    spans += columns.size
    await parquet.write({ columnData: columns.take(), rowGroupSize: Number.MAX_SAFE_INTEGER })
  }
  for await (const line of lines) {
    if (line.trace === undefined) continue
    columns.addTrace(line.traceId, line.status, traceFromJson(line.trace))
    traces++
    if (columns.size >= rowGroupSpans) await flush()
  }
  await flush()
  await parquet.finish()
  return { traces, spans }
}

/** The Parquet file as bytes (for a store `put`). */
export async function spansParquetBytes(lines: AsyncIterable<ResultLine> | Iterable<ResultLine>, options: SpansParquetOptions = {}): Promise<{ bytes: Uint8Array } & SpansParquetSummary> {
  const writer = new ByteWriter()
  const summary = await writeSpansParquet(lines, writer, options)
  return { bytes: writer.getBytes(), ...summary }
}

/** Where `exportSpansParquet` puts a result's spans table: `spans.parquet` beside it. */
export function spansParquetKeyFor(resultKey: string): string {
  const slash = resultKey.lastIndexOf('/')
  return `${slash < 0 ? '' : resultKey.slice(0, slash + 1)}spans.parquet`
}

/** Convert a stored batch result into `spans.parquet` beside it (held in memory, then one `put`). */
export async function exportSpansParquet(store: ObjectStore, resultKey: string, options: SpansParquetOptions = {}): Promise<{ key: string } & SpansParquetSummary> {
  const key = spansParquetKeyFor(resultKey)
  const { bytes, ...summary } = await spansParquetBytes(readResultLines(store, resultKey), options)
  await store.put(key, bytes, { contentType: 'application/vnd.apache.parquet' })
  return { key, ...summary }
}
