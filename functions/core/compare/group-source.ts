import type { ResultLine } from '../contract/types.js'
import { traceFromJson } from '../otlp/json-parse.js'
import type { Trace } from '../otlp/model.js'

/**
 * The traces of a batch result, for `compareGroups`: every line that holds a trace (`found`, and also
 * `partial` and `too_large`, which hold as much of it as could be read), counted by status into `lines`.
 */
export async function* tracesOfResult(lines: AsyncIterable<ResultLine> | Iterable<ResultLine>, counts: Record<string, number>): AsyncIterable<Trace> {
  for await (const line of lines) {
    counts[line.status] = (counts[line.status] ?? 0) + 1
    if (line.trace !== undefined) yield traceFromJson(line.trace)
  }
}
