import { TempoBatchError } from '../contract/errors.js'
import type { ObjectStore } from '../storage/object-store.js'
import { readObjectChunks } from '../storage/read-stream.js'
import { ndjsonLines } from './ndjson.js'
import type { ResultLine } from '../contract/types.js'


/** A result or partial-result object that does not parse as our NDJSON. */
export class ResultFormatError extends TempoBatchError {
  constructor(
    readonly key: string,
    problem: string,
  ) {
    super(`results: ${key}: ${problem}`)
  }
}

/** Stream the lines of a batch result (`result.ndjson.gz` or `.ndjson`) from the result store. */
export async function* readResultLines(store: ObjectStore, key: string): AsyncIterable<ResultLine> {
  let lineNumber = 0
  for await (const line of ndjsonLines(readObjectChunks(store, key))) {
    lineNumber++
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      throw new ResultFormatError(key, `line ${lineNumber} is not JSON`)
    }
    yield value as ResultLine
  }
}

/** Serialise one result line; `traceJson` is already Tempo's JSON dialect (kept byte-exact). */
export function formatResultLine(line: { traceId: string; status: ResultLine['status']; message?: string }, traceJson?: string): string {
  let out = `{"traceId":${JSON.stringify(line.traceId)},"status":${JSON.stringify(line.status)}`
  if (traceJson !== undefined) out += `,"trace":${traceJson}`
  if (line.message !== undefined) out += `,"message":${JSON.stringify(line.message)}`
  return out + '}'
}
