import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { InProcessInvoker } from '../../functions/core/batch/in-process-invoker.js'
import type { CompareReport } from '../../functions/core/compare/report-types.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { generateTenant } from '../../functions/generator/generate-tenant.js'
import { startServer, type RunningServer } from '../../functions/server/server.js'

describe('POST /v1/compare on the local server', () => {
  let dir: string
  let server: RunningServer
  let ids: string[]

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'compare-route-'))
    const tempoStore = new FsStore(join(dir, 'blocks'))
    ids = (await generateTenant(tempoStore, { tenant: 'shop', blocks: 2, tracesPerBlock: 30, seed: 8 })).traceIds
    const resultStore = new FsStore(join(dir, 'results'))
    const layout = new TempoLayout()
    server = await startServer({
      port: 0,
      batch: { tempoStore, layout, resultStore, resultsPrefix: 'results', invoker: new InProcessInvoker({ tempoStore, layout, resultStore }) },
      lookup: { tempoStore, layout },
    })
  }, 60_000)

  afterAll(async () => {
    await server?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  const post = (body: unknown, init: { headers?: Record<string, string>; query?: string } = {}) =>
    fetch(`${server.url}/v1/compare${init.query ?? ''}`, { method: 'POST', body: JSON.stringify(body), headers: init.headers ?? {} })

  it('fetches both groups and answers the JSON report with both results', async () => {
    const response = await post({ groupA: ids.slice(0, 15), groupB: [...ids.slice(15, 35), '0badc0de'], labelA: 'slow', requestId: 'route-1' }, { headers: { 'X-Scope-OrgID': 'shop' } })
    expect(response.status).toBe(200)
    const answer = (await response.json()) as { report: CompareReport; groupA: { requestId: string; counts: { found: number } }; groupB: { counts: { not_found: number } } }
    expect(answer.report.groups.a).toMatchObject({ label: 'slow', traces: 15 })
    expect(answer.report.groups.b).toMatchObject({ label: 'B', traces: 20, lines: { found: 20, not_found: 1 } })
    expect(answer.groupA).toMatchObject({ requestId: 'route-1-a', counts: { found: 15 } })
    expect(answer.groupB.counts.not_found).toBe(1)
  }, 60_000)

  it('answers the HTML page when asked for text/html', async () => {
    const response = await post({ tenant: 'shop', groupA: ids.slice(0, 10), groupB: ids.slice(10, 20) }, { headers: { accept: 'text/html' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/html')
    expect(await response.text()).toMatch(/^<!doctype html>[\s\S]*<svg/)
  }, 60_000)

  it('rejects bad input with a 400 naming the field, never a 5xx', async () => {
    const cases: [unknown, string][] = [
      [{ tenant: 'shop', groupB: ['1'] }, 'groupA'],
      [{ tenant: 'shop', groupA: ['1'], groupB: ['xyz'] }, 'groupB[0]'],
      [{ tenant: 'shop', groupA: ['1'], groupB: ['2'], fdr: 3 }, 'fdr'],
      [{ tenant: '../x', groupA: ['1'], groupB: ['2'] }, 'tenant'],
      [{ tenant: 'shop', groupA: ['1'], groupB: ['2'], labelA: '' }, 'labelA'],
    ]
    for (const [body, field] of cases) {
      const response = await post(body)
      expect(response.status, field).toBe(400)
      const answer = (await response.json()) as { field: string; error: string }
      expect(answer.field).toBe(field)
      expect(answer.error).not.toMatch(/\n\s+at /)
    }
    expect((await fetch(`${server.url}/v1/compare`)).status).toBe(405)
  })
})
