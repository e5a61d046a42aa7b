/** Test-only access to the tempo-generated goldens (records as parsed JSON; traces via `traceFromJson`). */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { Trace } from '../../functions/core/otlp/model.js'
import { tempoGeneratedDir } from '../support/shared-fixtures.js'

/** One golden query record (only the fields these tests use). */
export interface GoldenRecord {
  traceId: string
  start: number
  end: number
  category: string
  blocks: string[]
  spanCount: number
  maxBytesPerTrace: number
  v2: { trace: JsonObject; status?: string; message?: string }
}

type JsonObject = Record<string, unknown>

export const FORMATS = ['vParquet3', 'vParquet4', 'vParquet5'] as const
export const TENANTS = ['single-tenant', 'tenant-b'] as const

/** All golden records of one format and tenant. */
export function readGoldens(format: string, tenant: string): GoldenRecord[] {
  const file = join(tempoGeneratedDir, 'correctness', 'goldens', format, `${tenant}.jsonl.gz`)
  return gunzipSync(readFileSync(file))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as GoldenRecord)
}

/** Number of spans in a trace. */
export function countSpans(trace: Trace | undefined): number {
  let n = 0
  for (const rs of trace?.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) n += ss.spans?.length ?? 0
  return n
}
