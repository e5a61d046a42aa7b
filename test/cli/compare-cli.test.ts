import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import type { CompareReport } from '../../functions/core/compare/report-types.js'
import { traceToJson } from '../../functions/core/otlp/json.js'
import type { Trace } from '../../functions/core/otlp/model.js'
import { formatResultLine } from '../../functions/core/results/result-lines.js'
import { generateTenant } from '../../functions/generator/generate-tenant.js'
import { checkoutTraces, PLANTED } from '../../functions/generator/synth/planted-groups.js'

const repo = resolve(import.meta.dirname, '..', '..')
const mainTs = join(repo, 'functions', 'cli', 'main.ts')
const tsxLoader = pathToFileURL(join(repo, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href

let work: string

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', tsxLoader, mainTs, ...args], { cwd: work, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
}

/** A batch result file of `traces` (plus one not-found line). */
function resultNdjson(traces: Trace[]): string {
  const lines = traces.map((t, i) => formatResultLine({ traceId: i.toString(16).padStart(32, '0'), status: 'found' }, traceToJson(t)))
  lines.push(formatResultLine({ traceId: 'f'.repeat(32), status: 'not_found' }))
  return lines.join('\n') + '\n'
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tempo-batch-compare-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('tempo-batch compare', () => {
  it('compares two result files (gzipped or not): findings to stdout, JSON and HTML reports', async () => {
    await writeFile(join(work, 'a.ndjson.gz'), gzipSync(resultNdjson(checkoutTraces(50, 3, { errorShare: 0.6 }))))
    await writeFile(join(work, 'b.ndjson'), resultNdjson(checkoutTraces(50, 4)))
    const { code, stdout, stderr } = await cli(['compare', '--a-result', 'a.ndjson.gz', '--b-result', `file://${join(work, 'b.ndjson')}`, '--a-label', 'failed', '--b-label', 'ok', '--json', 'report.json', '--html', 'report.html'])
    expect(stderr).toMatch(/compared 50 traces of failed with 50 of ok: \d+ features tested, [1-9]\d* findings at q < 0.05/)
    expect(code).toBe(0)
    expect(stdout.split('\n')[0]).toMatch(/^1\. `payment: PaymentService\/Charge` (has status ERROR|fails with|records exception)/)
    const report = JSON.parse(await readFile(join(work, 'report.json'), 'utf8')) as CompareReport
    expect(report.groups.a).toMatchObject({ label: 'failed', traces: 50, lines: { found: 50, not_found: 1 } })
    expect(report.findings.map((f) => f.id)).toContain(`error\u001f${PLANTED.errorOperation}`)
    const html = await readFile(join(work, 'report.html'), 'utf8')
    expect(html).toContain('<title>Trace comparison: failed vs ok</title>')
    expect(html).toContain('<svg')
  }, 60_000)

  it('fetches two ID files from a tenant and compares them (--json - prints the report)', async () => {
    const store = join(work, 'tenant')
    const summary = await generateTenant(new FsStore(store), { tenant: 'shop', blocks: 2, tracesPerBlock: 40, seed: 5 })
    const ids = summary.traceIds
    await writeFile(join(work, 'a.txt'), [...ids.slice(0, 20), 'abcdef0123456789'].join('\n'))
    await writeFile(join(work, 'b.txt'), ids.slice(20, 45).join('\n'))
    const { code, stdout, stderr } = await cli(['compare', '--store', store, '--tenant', 'shop', '--a', 'a.txt', '--b', 'b.txt', '--results', join(work, 'results'), '--request-id', 'cmp-1', '--json', '-', '--concurrency', '1'])
    expect(stderr).toContain('compared 20 traces of A with 25 of B')
    expect(code).toBe(0)
    const report = JSON.parse(stdout) as CompareReport
    expect(report.groups.a.lines).toEqual({ found: 20, not_found: 1 })
    expect(report.groups.b.traces).toBe(25)
    expect(report.tests).toBeGreaterThan(50)
    // Both batches went through the result store under the given request ID.
    expect(await new FsStore(join(work, 'results')).head('shop/cmp-1-a/manifest.json')).toMatchObject({ key: 'shop/cmp-1-a/manifest.json' })
  }, 120_000)

  it('exits 3 when a block could not be read, still comparing what was read', async () => {
    const store = join(work, 'damaged')
    const summary = await generateTenant(new FsStore(store), { tenant: 'shop', blocks: 2, tracesPerBlock: 20, seed: 6 })
    const block = summary.blocks[0]!.blockId
    await truncate(join(store, 'shop', block, 'data.parquet'), 1000)
    await writeFile(join(work, 'da.txt'), summary.traceIds.slice(0, 20).join('\n'))
    await writeFile(join(work, 'db.txt'), summary.traceIds.slice(20).join('\n'))
    const { code, stderr } = await cli(['compare', '--store', store, '--tenant', 'shop', '--a', 'da.txt', '--b', 'db.txt', '--results', join(work, 'results-damaged'), '--concurrency', '1'])
    expect(code).toBe(3)
    expect(stderr).toMatch(/compared \d+ traces of A with \d+ of B/)
  }, 120_000)

  it.each([
    [['compare', '--a-result', 'x.ndjson'], '--b-result'],
    [['compare', '--a-result', 'missing.ndjson', '--b-result', 'missing.ndjson'], 'does not exist'],
    [['compare', '--a', 'a.txt', '--b', 'b.txt', '--a-result', 'x'], 'not both'],
    [['compare', '--store', '.', '--tenant', 't', '--a', 'a.txt'], '--b'],
    [['compare', '--a-result', 'a.ndjson.gz', '--b-result', 'b.ndjson', '--fdr', '2'], '--fdr'],
  ])('bad input %j exits 2 naming the problem', async (args, text) => {
    const { code, stderr } = await cli(args)
    expect(code).toBe(2)
    expect(stderr).toContain(text)
    expect(stderr).not.toMatch(/\n\s+at /)
  })
})
