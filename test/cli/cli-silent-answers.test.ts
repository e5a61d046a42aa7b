import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { captureMain } from '../support/capture-main.js'
import { writeSmallTenant } from '../support/small-tenant.js'

/**
 * Issue 14, defect 6 through the CLI: a misspelled tenant, --store naming the tenant folder, a window
 * in milliseconds give a one-line warning on stderr (still exit 0, `complete`) and the manifest's field.
 */

let work: string
let store: string
let ids: string[] = []

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tempo-batch-silent-'))
  store = join(work, 'blocks')
  ids = (await writeSmallTenant(new FsStore(store), 'demo', 51)).traceIds
  await mkdir(join(work, 'empty'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

function fetchArgs(...extra: string[]): string[] {
  return ['fetch', '--results', join(work, 'results'), '--concurrency', '1', ...extra]
}

describe('silent empty answers speak up (issue 14, defect 6)', () => {
  it('a misspelled tenant: warning naming the tenants there, the manifest says no-blocks', async () => {
    const run = await captureMain(fetchArgs('--store', store, '--tenant', 'dmeo', '--id', ids[0]!, '--stats', join(work, 'm1.json')))
    expect(run.code).toBe(0)
    expect(run.stderr).toContain(`tempo-batch fetch: warning: tenant "dmeo" has no blocks in file:${store} (tenants in the store: demo)`)
    const manifest = JSON.parse(await readFile(join(work, 'm1.json'), 'utf8')) as { warnings: { code: string }[]; stats: { blocksListed: number } }
    expect(manifest.warnings.map((w) => w.code)).toEqual(['no-blocks'])
    expect(manifest.stats.blocksListed).toBe(0)
  })

  it('--store naming the tenant folder: the hint says to give the folder above it', async () => {
    const run = await captureMain(fetchArgs('--store', join(store, 'demo'), '--tenant', 'demo', '--id', ids[0]!))
    expect(run.code).toBe(0)
    expect(run.stderr).toContain('--store seems to name a tenant folder (its folders are blocks): give the folder above it')
  })

  it('milliseconds as --start/--end: warned, with the pruning that follows', async () => {
    const run = await captureMain(fetchArgs('--store', store, '--tenant', 'demo', '--id', ids[0]!, '--start', '1768478400000', '--end', '1768482000000'))
    expect(run.code).toBe(0)
    expect(run.stderr).toContain('warning: start, end look like milliseconds; start and end are unix seconds')
    expect(run.stderr).toContain('warning: the time windows exclude all 2 blocks of tenant "demo"')
  })

  it('blocks says the same for a tenant with no blocks', async () => {
    const run = await captureMain(['blocks', '--store', store, '--tenant', 'dmeo'])
    expect(run.code).toBe(0)
    expect(run.stderr).toContain(`tempo-batch blocks: warning: tenant "dmeo" has no blocks in file:${store} (tenants in the store: demo)`)
  })

  it('serve says at start that a store holds no tenants', async () => {
    const repo = resolve(import.meta.dirname, '..', '..')
    const loader = pathToFileURL(join(repo, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
    const child = spawn(process.execPath, ['--import', loader, join(repo, 'functions', 'cli', 'main.ts'), 'serve', '--store', join(work, 'empty'), '--port', '0', '--results', join(work, 'r')], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    // Bounded: the child is stopped once it listens, or after 60 s whatever it printed.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    await new Promise<void>((done) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString()
        if (stderr.includes('listening on')) child.kill('SIGTERM')
      })
      child.on('close', () => done())
    })
    clearTimeout(timer)
    expect(stderr).toContain(`tempo-batch serve: warning: file:${join(work, 'empty')} holds no tenants; every lookup will answer not found`)
  })
})
