import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { generateTenant } from '../../functions/generator/generate-tenant.js'
import { startServer, type RunningServer } from '../../functions/server/server.js'
import { createEmbeddedRuntime, type EmbeddedRuntime } from '../../functions/adapters/embedded-runtime.js'
import { runCli } from '../support/run-cli.js'

/**
 * The defect of issue 14: `fetch --tenant demo --request-id R`, then `fetch --tenant other --request-id R`
 * printed tenant demo's traces. Through the CLI and the local server, on two tenants our generator writes.
 */

let work: string
let demoIds: string[] = []
let otherIds: string[] = []
const generation = { format: 'vParquet4' as const, blocks: 2, tracesPerBlock: 25, rowGroupBytes: 200_000, pageBytes: 8_192, now: new Date('2026-01-15T12:00:00Z') }

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tempo-batch-reuse-'))
  const store = new FsStore(join(work, 'blocks'))
  demoIds = (await generateTenant(store, { tenant: 'demo', seed: 3, ...generation })).traceIds.slice(0, 10)
  otherIds = (await generateTenant(store, { tenant: 'other', seed: 4, ...generation })).traceIds.slice(0, 2)
  await writeFile(join(work, 'batch.txt'), demoIds.join('\n') + '\n')
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

function parseLines(stdout: string): { traceId: string; status: string }[] {
  return stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { traceId: string; status: string })
}

describe('request ID reuse through the CLI', () => {
  it('a request ID reused for another tenant reads that tenant; reused for another request of the same tenant exits 2', async () => {
    const common = ['--store', join(work, 'blocks'), '--results', join(work, 'results'), '--request-id', 'R']
    const demo = await runCli(['fetch', '--tenant', 'demo', '--ids', join(work, 'batch.txt'), ...common], { cwd: work })
    expect(demo.code).toBe(0)
    expect(parseLines(demo.stdout)).toHaveLength(demoIds.length)

    const other = await runCli(['fetch', '--tenant', 'other', '--id', otherIds[0]!, ...common], { cwd: work })
    expect(other.code).toBe(0)
    expect(parseLines(other.stdout)).toEqual([expect.objectContaining({ traceId: otherIds[0], status: 'found' })])
    expect(other.stderr).not.toContain('(reused)')

    const again = await runCli(['fetch', '--tenant', 'demo', '--ids', join(work, 'batch.txt'), ...common], { cwd: work })
    expect(again.code).toBe(0)
    expect(again.stderr).toContain('(reused)')

    const conflict = await runCli(['fetch', '--tenant', 'demo', '--id', demoIds[0]!, ...common], { cwd: work })
    expect(conflict.code).toBe(2)
    expect(conflict.stdout).toBe('')
    expect(conflict.stderr).toMatch(/requestId: "R" already names a different request/)
    expect(conflict.stderr).not.toMatch(/\n\s+at /)
  })
})

describe('request ID reuse through the local server', () => {
  let server: RunningServer
  let runtime: EmbeddedRuntime
  beforeAll(async () => {
    runtime = await createEmbeddedRuntime({ store: join(work, 'blocks'), results: join(work, 'server-results'), prefix: '' }, { workers: 1 })
    server = await startServer({ batch: runtime.deps, lookup: { tempoStore: runtime.deps.tempoStore, layout: runtime.deps.layout }, port: 0 })
  })
  afterAll(async () => {
    await server?.close()
    await runtime?.close()
  })

  it('POST /v1/batch keeps request IDs per tenant and answers a different request under a used ID with 409', async () => {
    const post = (body: unknown) => fetch(`${server.url}/v1/batch`, { method: 'POST', body: JSON.stringify(body) })
    const demo = await post({ tenant: 'demo', traceIds: demoIds, requestId: 'S' })
    expect(demo.status).toBe(200)

    const other = await post({ tenant: 'other', traceIds: [otherIds[1]], requestId: 'S' })
    expect(other.status).toBe(200)
    const answer = (await other.json()) as { reused: boolean; result: { lines: { traceId: string; status: string }[] } }
    expect(answer.reused).toBe(false)
    expect(answer.result.lines).toEqual([expect.objectContaining({ traceId: otherIds[1], status: 'found' })])

    const conflict = await post({ tenant: 'demo', traceIds: demoIds.slice(0, 3), requestId: 'S' })
    expect(conflict.status).toBe(409)
    expect(await conflict.json()).toMatchObject({ field: 'requestId', error: expect.stringContaining('already names a different request') })
  })
})
