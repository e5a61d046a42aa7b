import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { traceIdToHex } from '../../functions/core/contract/trace-id.js'
import { generateTenant } from '../../functions/generator/generate-tenant.js'
import { planTenant } from '../../functions/generator/tenant-plan.js'

/** An independent parquet implementation (DuckDB) reads the generated files: rows, nesting and values agree. */
describe('generated blocks through DuckDB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tempo-batch-duck-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  for (const format of ['vParquet4', 'vParquet5'] as const) {
    it(`${format}: trace IDs, span counts and a dictionary column read back`, async () => {
      const options = { tenant: format, format, seed: 3, blocks: 1, tracesPerBlock: 120, rowGroupBytes: 200_000, pageBytes: 16_384 }
      const summary = await generateTenant(new FsStore(dir), options)
      const file = join(dir, format, summary.blocks[0]!.blockId, 'data.parquet')
      const db = await DuckDBInstance.create(':memory:')
      const c = await db.connect()
      const ids = (await c.runAndReadAll(`SELECT TraceIDText AS id FROM read_parquet('${file}')`)).getRowObjects().map((r) => String(r.id))
      const planned = planTenant({ ...options }).at(0)!.traces.map((t) => traceIdToHex(t.traceId).replace(/^0+/, ''))
      expect(ids).toEqual(planned)
      const spansSql =
        format === 'vParquet4'
          ? `SELECT count(*) AS n FROM (SELECT unnest(s.ss) AS sc FROM (SELECT unnest(rs) AS s FROM read_parquet('${file}'))), unnest(sc.Spans)`
          : `SELECT sum(sc.SpanCount) AS n FROM (SELECT unnest(s.ss) AS sc FROM (SELECT unnest(rs) AS s FROM read_parquet('${file}')))`
      const spans = Number((await c.runAndReadAll(spansSql)).getRowObjects()[0]!.n)
      expect(spans).toBe(summary.spans)
      const roots = (await c.runAndReadAll(`SELECT count(*) AS n FROM read_parquet('${file}') WHERE RootServiceName IN ('frontend', 'api-gateway', 'batch-scheduler')`)).getRowObjects()
      expect(Number(roots[0]!.n)).toBeGreaterThan(0)
      c.closeSync()
    })
  }
})
