import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { generateTenant } from '../../functions/generator/generate-tenant.js'
import { bundleCli } from '../../scripts/bundle-cli.js'

const repo = resolve(import.meta.dirname, '..', '..')
const mainTs = join(repo, 'functions', 'cli', 'main.ts')
const tsxLoader = pathToFileURL(join(repo, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
const probe = pathToFileURL(join(repo, 'test', 'support', 'startup-probe.mjs')).href

/** Run the CLI (from sources, or the bundle `npm run build` makes) with the start-up probe; returns its exit code and what the probe saw. */
function fetchWithProbe(dir: string, ids: string[], bundledMain?: string): Promise<{ code: number; stderr: string; workers: number; awsSdkModules: number }> {
  const out = join(dir, `probe-${ids.length}.json`)
  const cli = bundledMain ? [bundledMain] : ['--import', tsxLoader, mainTs]
  const args = ['--import', probe, ...cli, 'fetch', '--store', join(dir, 'blocks'), '--tenant', 'start', '--results', join(dir, 'results'), '--out', join(dir, 'out.ndjson')]
  for (const id of ids) args.push('--id', id)
  return new Promise((done, fail) => {
    execFile(process.execPath, args, { env: { ...process.env, STARTUP_PROBE_OUT: out } }, (error, _stdout, stderr) => {
      readFile(out, 'utf8').then((text) => done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr, ...(JSON.parse(text) as { workers: number; awsSdkModules: number }) }), fail)
    })
  })
}

describe('tempo-batch fetch start-up', () => {
  let dir: string
  let traceIds: string[]
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tempo-batch-startup-'))
    traceIds = (await generateTenant(new FsStore(join(dir, 'blocks')), { tenant: 'start', format: 'vParquet4', seed: 3, blocks: 3, tracesPerBlock: 10 })).traceIds
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('a one-ID fetch from a directory loads no AWS SDK module and starts no worker thread', { timeout: 120_000 }, async () => {
    const one = await fetchWithProbe(dir, traceIds.slice(0, 1))
    expect(one.stderr).toContain('1 found')
    expect(one).toMatchObject({ code: 0, workers: 0, awsSdkModules: 0 })
    // A batch too big for this thread does start workers (the probe sees them), but never more than shards.
    const many = await fetchWithProbe(dir, traceIds.slice(0, 20))
    expect(many.stderr).toContain('20 found')
    expect(many.code).toBe(0)
    expect(many.workers).toBeGreaterThan(0)
    expect(many.workers).toBeLessThanOrEqual(3)
    expect(many.awsSdkModules).toBe(0)
  })

  it('the bundled CLI (dist/cli) starts its workers from the bundle and answers the same', { timeout: 120_000 }, async () => {
    const out = join(dir, 'bundle')
    await bundleCli(out)
    const one = await fetchWithProbe(dir, traceIds.slice(0, 1), join(out, 'main.js'))
    expect(one).toMatchObject({ code: 0, workers: 0, awsSdkModules: 0 })
    const many = await fetchWithProbe(dir, traceIds.slice(0, 20), join(out, 'main.js'))
    expect(many.stderr).toContain('20 found')
    expect(many.code).toBe(0)
    expect(many.workers).toBeGreaterThan(0)
    const lines = (await readFile(join(dir, 'out.ndjson'), 'utf8')).trim().split('\n')
    expect(lines.map((line) => (JSON.parse(line) as { traceId: string }).traceId)).toEqual([...traceIds.slice(0, 20)].sort())
  })
})
