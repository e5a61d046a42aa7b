import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import type { ResultLine } from '../../functions/core/contract/types.js'
import { exportSpansParquet, spansParquetBytes } from '../../functions/core/export/spans-parquet.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { traceToJson } from '../../functions/core/otlp/json.js'
import type { Trace } from '../../functions/core/otlp/model.js'
import { generateTenant } from '../../functions/generator/generate-tenant.js'
import { checkoutTraces } from '../../functions/generator/synth/planted-groups.js'
import { handTrace } from '../compare/hand-traces.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spans-parquet-'))
})
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function query(file: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:')
  const connection = await db.connect()
  try {
    return (await connection.runAndReadAll(sql.replaceAll('$file', `read_parquet('${file}')`))).getRowObjectsJson() as Record<string, unknown>[]
  } finally {
    connection.closeSync()
  }
}

const line = (i: number, trace: Trace, status: ResultLine['status'] = 'found'): ResultLine => ({ traceId: i.toString(16).padStart(32, '0'), status, trace: JSON.parse(traceToJson(trace)) as unknown })

describe('spans-parquet', () => {
  it('writes one row per span that DuckDB reads back field by field, over several row groups', async () => {
    const traces = checkoutTraces(30, 4, { errorShare: 0.5 })
    const spanTotal = traces.reduce((n, t) => n + (t.resourceSpans ?? []).reduce((m, rs) => m + (rs.scopeSpans ?? []).reduce((k, ss) => k + (ss.spans?.length ?? 0), 0), 0), 0)
    const lines = [...traces.map((t, i) => line(i, t)), { traceId: 'f'.repeat(32), status: 'not_found' as const }]
    const { bytes, traces: written, spans } = await spansParquetBytes(lines, { rowGroupSpans: 64 })
    expect({ written, spans }).toEqual({ written: 30, spans: spanTotal })
    const file = join(dir, 'checkout.parquet')
    await writeFile(file, bytes)
    const [counts] = await query(file, `SELECT count(*) AS spans, count(DISTINCT trace_id) AS traces, count(*) FILTER (WHERE parent_span_id IS NULL) AS roots FROM $file`)
    expect(counts).toEqual({ spans: String(spanTotal), traces: '30', roots: '30' })
    const [payment] = await query(file, `SELECT count(*) FILTER (WHERE status_code = 'ERROR') AS errors, any_value(status_message) FILTER (WHERE status_code = 'ERROR') AS message FROM $file WHERE service = 'payment' AND name = 'PaymentService/Charge'`)
    expect(Number(payment!.errors)).toBeGreaterThan(5)
    expect(payment!.message).toBe('card declined')
    const metadata = await query(file, `SELECT count(*) AS groups FROM parquet_metadata('${file}') WHERE column_id = 0`)
    expect(Number(metadata[0]!.groups)).toBeGreaterThan(3)
  })

  it('keeps IDs, kinds, exact nanosecond times and attributes (as JSON) of a hand-built span', async () => {
    const trace = handTrace([
      [1, 0, 'GET /', 0, 12.5, { kind: 2, attributes: [{ key: 'http.route', value: { stringValue: '/' } }, { key: 'big', value: { intValue: 9_007_199_254_740_993n } }, { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { boolValue: true }] } } }] }],
      [2, 1, 'db', 1, 2, { kind: 3, status: { code: 2, message: 'timeout' } }],
    ], 'api')
    const { bytes } = await spansParquetBytes([line(7, trace, 'partial')])
    const file = join(dir, 'hand.parquet')
    await writeFile(file, bytes)
    const rows = await query(file, `SELECT trace_id, span_id, parent_span_id, service, name, kind, status_code, status_message, start_time_unix_nano, duration_nano, epoch_ms(start_time) AS start_ms,
      json_extract_string(attributes, '$."http.route"') AS route, json_extract_string(attributes, '$.big') AS big, json_extract(attributes, '$.tags')::VARCHAR AS tags,
      json_extract_string(resource_attributes, '$."service.name"') AS resource_service, scope_name, result_status FROM $file ORDER BY span_id`)
    expect(rows).toEqual([
      { trace_id: '00000000000000000000000000000007', span_id: '0000000000000001', parent_span_id: null, service: 'api', name: 'GET /', kind: 'SERVER', status_code: 'UNSET', status_message: null, start_time_unix_nano: '1700000000000000000', duration_nano: '12500000', start_ms: '1700000000000', route: '/', big: '9007199254740993', tags: '["a",true]', resource_service: 'api', scope_name: 'test', result_status: 'partial' },
      { trace_id: '00000000000000000000000000000007', span_id: '0000000000000002', parent_span_id: '0000000000000001', service: 'api', name: 'db', kind: 'CLIENT', status_code: 'ERROR', status_message: 'timeout', start_time_unix_nano: '1700000000001000000', duration_nano: '1000000', start_ms: '1700000000001', route: null, big: null, tags: null, resource_service: 'api', scope_name: 'test', result_status: 'partial' },
    ])
  })
})

describe('tempo-batch fetch --format spans-parquet', () => {
  const repo = resolve(import.meta.dirname, '..', '..')
  const tsxLoader = pathToFileURL(join(repo, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
  const cli = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, ['--import', tsxLoader, join(repo, 'functions', 'cli', 'main.ts'), ...args], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
        done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }))
    })

  it('writes the batch as a spans table with the same spans as the NDJSON result', async () => {
    const store = join(dir, 'tenant')
    const { traceIds } = await generateTenant(new FsStore(store), { tenant: 'shop', blocks: 2, tracesPerBlock: 25, seed: 12 })
    await writeFile(join(dir, 'ids.txt'), traceIds.slice(0, 30).join('\n'))
    const common = ['fetch', '--store', store, '--tenant', 'shop', '--ids', 'ids.txt', '--results', join(dir, 'results'), '--concurrency', '1']
    const ndjson = await cli([...common, '--request-id', 'pq-1'])
    expect(ndjson.code).toBe(0)
    const expected = ndjson.stdout.trim().split('\n').map((l) => JSON.parse(l) as { trace: { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] } })
      .reduce((n, l) => n + l.trace.resourceSpans.reduce((m, rs) => m + rs.scopeSpans.reduce((k, ss) => k + ss.spans.length, 0), 0), 0)
    const parquet = await cli([...common, '--request-id', 'pq-1', '--format', 'spans-parquet', '--out', 'spans.parquet'])
    expect(parquet.code).toBe(0)
    const [row] = await query(join(dir, 'spans.parquet'), 'SELECT count(*) AS spans, count(DISTINCT trace_id) AS traces FROM $file')
    expect(row).toEqual({ spans: String(expected), traces: '30' })
  }, 120_000)

  it.each([
    [['--format', 'spans-parquet'], '--out'],
    [['--format', 'spans-parquet', '--out', '-'], '--out'],
    [['--format', 'csv', '--out', 'x'], '--format'],
  ])('%j exits 2 naming %s', async (extra, flag) => {
    const { code, stderr } = await cli(['fetch', '--store', dir, '--tenant', 'shop', '--id', '1', ...extra])
    expect(code).toBe(2)
    expect(stderr).toContain(flag)
  })
})

describe('exportSpansParquet', () => {
  it('writes spans.parquet beside a stored result', async () => {
    const store = new MemoryStore()
    const ndjson = checkoutTraces(3, 9).map((t, i) => JSON.stringify(line(i, t))).join('\n') + '\n'
    await store.put('results/run-a/result.ndjson', new TextEncoder().encode(ndjson))
    const exported = await exportSpansParquet(store, 'results/run-a/result.ndjson')
    expect(exported).toMatchObject({ key: 'results/run-a/spans.parquet', traces: 3 })
    const file = join(dir, 'exported.parquet')
    await writeFile(file, await store.get(exported.key))
    expect(await query(file, 'SELECT count(DISTINCT trace_id) AS traces, count(*) AS spans FROM $file')).toEqual([{ traces: '3', spans: String(exported.spans) }])
  })
})
