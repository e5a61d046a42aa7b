import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { listBlocks, type ScenarioResult, type ScenarioSpec } from '../common.js'

/** `rchar` of /proc/self/io: bytes this process got from read-family syscalls (page-cache hits included). */
function readChars(): number | undefined {
  try {
    const match = /^rchar:\s*(\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))
    return match ? Number(match[1]) : undefined
  } catch {
    return undefined
  }
}

/**
 * Scenario 3: what a data engineer would pick instead. DuckDB reads every block's data.parquet with its
 * own statistics and page pruning, `SELECT *` for the IDs, materialised as JS objects (as a caller
 * gets them). DuckDB cannot read through our store, so bytes are this process's `rchar` delta around
 * the query (DuckDB reads files with pread, not mmap): what it read, from disk or page cache.
 */
export async function runDuckDbScenario(spec: ScenarioSpec): Promise<ScenarioResult> {
  const blocks = await listBlocks(spec.root, spec.tenant)
  const files = blocks.map((b) => join(spec.root, spec.tenant, b.blockId, 'data.parquet'))
  const list = files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')
  const ids = spec.ids.map((id) => `from_hex('${id}')`).join(', ')
  const sql = `SELECT * FROM read_parquet([${list}]) WHERE TraceID IN (${ids})`
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  const before = readChars()
  const started = performance.now()
  const reader = await connection.runAndReadAll(sql)
  const rows = reader.getRowObjectsJS()
  const wallMs = performance.now() - started
  const after = readChars()
  const traceIds = new Set<string>()
  let spans = 0
  for (const row of rows) {
    const id = row.TraceID
    if (id instanceof Uint8Array) traceIds.add(Buffer.from(id).toString('hex'))
    spans += countSpans(row.rs)
  }
  connection.closeSync()
  instance.closeSync()
  return {
    label: spec.label,
    scenario: 'duckdb',
    store: spec.store,
    ids: spec.ids.length,
    found: traceIds.size,
    wallMs,
    bytesRead: before !== undefined && after !== undefined ? after - before : undefined,
    spans,
    notes: [`${rows.length} rows from ${files.length} files (duplicated/split traces are separate rows, not combined)`, 'bytes = /proc/self/io rchar delta of the child'],
  }
}

function countSpans(rs: unknown): number {
  if (!Array.isArray(rs)) return 0
  let n = 0
  for (const r of rs as { ss?: unknown }[]) {
    if (!Array.isArray(r?.ss)) continue
    for (const s of r.ss as { Spans?: unknown }[]) if (Array.isArray(s?.Spans)) n += s.Spans.length
  }
  return n
}
