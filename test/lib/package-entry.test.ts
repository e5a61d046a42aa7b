import { execFile } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { generateTenant, type GeneratedTenantSummary } from '../../functions/generator/generate-tenant.js'
import { readOtlpJson } from '../output/otlp-conformance.js'

const run = promisify(execFile)
const repo = resolve(import.meta.dirname, '..', '..')

/**
 * tempo-batch used as an outside package would use it: installed under the consumer's
 * `node_modules/tempo-batch` as `npm pack` lays it out (our package.json, `dist/` compiled here as
 * `npm run build` does, so never a stale one, and the repository's `dist/` is left alone; its
 * dependencies linked in), imported by package name from plain ESM JavaScript and strict TypeScript.
 */
describe('the package entry point (import { fetchTraces } from "tempo-batch")', () => {
  let app: string
  let summary: GeneratedTenantSummary
  beforeAll(async () => {
    app = await mkdtemp(join(tmpdir(), 'tempo-batch-consumer-'))
    const installed = join(app, 'node_modules', 'tempo-batch')
    await mkdir(installed, { recursive: true })
    await run(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repo, 'tsconfig.build.json'), '--outDir', join(installed, 'dist')], { cwd: repo })
    await copyFile(join(repo, 'package.json'), join(installed, 'package.json'))
    await symlink(join(repo, 'node_modules'), join(installed, 'node_modules'), 'dir')
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
    summary = await generateTenant(new FsStore(join(app, 'blocks')), { tenant: 'lib', seed: 11, blocks: 2, tracesPerBlock: 10, rowGroupBytes: 100_000, pageBytes: 8_192 })
  }, 300_000)
  afterAll(async () => {
    if (app) await rm(app, { recursive: true, force: true })
  })

  it('runs a batch on worker threads from dist and iterates typed results, OTLP/JSON included', { timeout: 120_000 }, async () => {
    await writeFile(
      join(app, 'fetch.mjs'),
      `import { fetchTraces, toOtlpJson } from 'tempo-batch'
const out = []
for await (const result of fetchTraces({ store: process.argv[2], tenant: 'lib', traceIds: JSON.parse(process.argv[3]), workers: 1 })) {
  out.push({ traceId: result.traceId, status: result.status, otlp: result.trace ? toOtlpJson(result.trace) : null })
}
process.stdout.write(JSON.stringify(out))
`,
    )
    const ids = [...summary.traceIds.slice(0, 4), 'abc']
    const { stdout } = await run(process.execPath, ['fetch.mjs', join(app, 'blocks'), JSON.stringify(ids)], { cwd: app })
    const results = JSON.parse(stdout) as { traceId: string; status: string; otlp: string | null }[]
    const absent = '00000000000000000000000000000abc'
    expect(results.map((r) => r.traceId)).toEqual([...summary.traceIds.slice(0, 4), absent].sort())
    for (const r of results) expect(r.status).toBe(r.traceId === absent ? 'not_found' : 'found')
    for (const r of results.filter((x) => x.otlp)) expect(readOtlpJson(r.otlp!)).toHaveProperty('resourceSpans')
  })

  it('type-checks a strict TypeScript consumer against the published declarations', { timeout: 120_000 }, async () => {
    await writeFile(
      join(app, 'consumer.ts'),
      `import { fetchBatch, TempoBatchApiClient, type TraceResult, type Span } from 'tempo-batch'
const batch = await fetchBatch({ store: './blocks', tenant: 'lib', traceIds: ['abc'] })
const statuses: string[] = []
for await (const r of batch.results()) {
  const result: TraceResult = r
  const spans: Span[] = result.trace?.resourceSpans?.flatMap((rs) => rs.scopeSpans ?? []).flatMap((ss) => ss.spans ?? []) ?? []
  statuses.push(\`\${result.status}:\${spans.length}:\${batch.manifest.counts.requested}\`)
}
await batch.close()
const client = new TempoBatchApiClient({ endpoint: 'https://example.invalid/prod/', region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
// @ts-expect-error traceIds must be strings
void client.fetchBatch({ tenant: 't', traceIds: [1] })
export { statuses }
`,
    )
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, skipLibCheck: true, typeRoots: [join(repo, 'node_modules', '@types')], types: ['node'] }, files: ['consumer.ts'] }),
    )
    const checked = await run(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: app }).then(
      () => 'ok',
      (error: { stdout?: string }) => error.stdout ?? 'failed',
    )
    expect(checked).toBe('ok')
  })
})
