import type { ResultLine, TraceStatus } from '../contract/types.js'
import type { Trace } from '../otlp/model.js'

/** One line of a batch result as an output format sees it. */
export interface ResultRecord {
  /** The result line exactly as stored (Tempo's JSON dialect inside). */
  line: string
  /** The line parsed (its `trace` still in Tempo's JSON dialect). */
  result: ResultLine
  traceId: string
  status: TraceStatus
  /** The trace as the model (parsed on first call); undefined when the ID has no spans. */
  trace(): Trace | undefined
}

/** Where a format's bytes go (stdout, a file); resolves when the sink can take more. */
export interface ByteSink {
  write(chunk: string | Uint8Array): Promise<void>
}

/** Where `fetch --out` points: a byte sink, and the path itself (`-` for stdout) for formats that write files. */
export interface OutputTarget {
  sink: ByteSink
  path: string
}

/** An output format of `tempo-batch fetch --format <name>`: one module per format, listed in the registry. */
export interface OutputFormat {
  name: string
  /** Other names accepted for it. */
  aliases?: readonly string[]
  /** One line for `--help`. */
  description: string
  /** `text` may go to a terminal; `binary` needs `--out` or a redirect; `file` needs `--out <file>` (written by path). */
  output: 'text' | 'binary' | 'file'
  /** Write the results, in ID order. */
  write(records: AsyncIterable<ResultRecord>, target: OutputTarget): Promise<void>
}
