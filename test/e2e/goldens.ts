import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { tempoGeneratedDir } from '../support/shared-fixtures.js'

/** One golden query of `tempo-generated/correctness/goldens` (see its queries.md). */
export interface GoldenRecord {
  traceId: string
  traceIdShort?: string
  start: number
  end: number
  v2: { trace: unknown; metrics?: unknown; status?: string; message?: string }
  v1: unknown
  v1HttpStatus: number
  v1ErrorBody?: string
  v2HttpStatus: number
  maxBytesPerTrace: number
  category: string
  blocks: string[]
}

export const FORMATS = ['vParquet3', 'vParquet4', 'vParquet5'] as const
export const TENANTS = ['single-tenant', 'tenant-b'] as const
/** Tempo's per-tenant override used when the goldens were computed. */
export const TENANT_LIMITS: Record<string, number> = { 'tenant-b': 100_000 }

/** Backend root of one format. */
export function backendRoot(format: string): string {
  return join(tempoGeneratedDir, 'correctness', format)
}

/** Every golden record of one format and tenant. */
export function loadGoldens(format: string, tenant: string): GoldenRecord[] {
  const text = gunzipSync(readFileSync(join(tempoGeneratedDir, 'correctness', 'goldens', format, `${tenant}.jsonl.gz`))).toString('utf8')
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as GoldenRecord)
}

/**
 * Split records into rounds where each trace ID occurs once, so one batch request (with per-ID windows)
 * answers a whole round; the k-th query of an ID goes to round k.
 */
export function roundsOf(records: GoldenRecord[]): GoldenRecord[][] {
  const rounds: GoldenRecord[][] = []
  const seen = new Map<string, number>()
  for (const record of records) {
    const k = seen.get(record.traceId) ?? 0
    seen.set(record.traceId, k + 1)
    ;(rounds[k] ??= []).push(record)
  }
  return rounds
}

/** The per-ID entry of a batch request for a golden query (0 = parameter not sent). */
export function requestEntry(record: GoldenRecord): { id: string; start?: number; end?: number } {
  return {
    id: record.traceIdShort ?? record.traceId,
    ...(record.start ? { start: record.start } : {}),
    ...(record.end ? { end: record.end } : {}),
  }
}

/** The batch status a golden implies. */
export function expectedStatus(record: GoldenRecord): 'found' | 'not_found' | 'too_large' {
  if (record.v2.status === 'PARTIAL') return 'too_large'
  return Object.keys(record.v2.trace as object).length === 0 ? 'not_found' : 'found'
}
