import { InvalidRequestError } from '../contract/errors.js'
import { traceFromJson } from '../otlp/json-parse.js'
import type { Trace } from '../otlp/model.js'
import type { ResultLine } from '../contract/types.js'
import type { OutputFormat, ResultRecord } from './output-format.js'
import { otlpJsonFormat } from './otlp-json.js'
import { otlpProtoFormat } from './otlp-proto.js'
import { spansParquetFormat } from './spans-parquet.js'
import { tempoNdjsonFormat } from './tempo-ndjson.js'

export type { ByteSink, OutputFormat, OutputTarget, ResultRecord } from './output-format.js'

/** Every output format, the default first; a new format is one module and one line here. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = [tempoNdjsonFormat, otlpJsonFormat, otlpProtoFormat, spansParquetFormat]

/** The format called `name`; `InvalidRequestError(field)` listing the known ones otherwise. */
export function outputFormat(name: string, field = 'format'): OutputFormat {
  const found = OUTPUT_FORMATS.find((format) => format.name === name || format.aliases?.includes(name))
  if (!found) throw new InvalidRequestError(field, `${JSON.stringify(name)} is not one of ${OUTPUT_FORMATS.map((f) => f.name).join(', ')}`)
  return found
}

/** A stored result line as a `ResultRecord` (the trace is parsed only if a writer asks for it). */
export function resultRecord(line: string): ResultRecord {
  const parsed = JSON.parse(line) as ResultLine
  let trace: Trace | undefined | null = null
  return {
    line,
    result: parsed,
    traceId: parsed.traceId,
    status: parsed.status,
    trace() {
      if (trace === null) trace = parsed.trace === undefined ? undefined : traceFromJson(parsed.trace)
      return trace
    },
  }
}

/** The stored result lines as records, in order. */
export async function* resultRecords(lines: AsyncIterable<string>): AsyncIterable<ResultRecord> {
  for await (const line of lines) yield resultRecord(line)
}
