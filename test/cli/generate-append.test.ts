import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { discoverBlocks } from '../../functions/core/blocks/discovery.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { captureMain } from '../support/capture-main.js'

/**
 * Issue 14, defect 8: `generate` printed nothing for minutes and silently added blocks to an existing
 * tenant (whose tenant index then listed only the new ones). It reports each block, and refuses an
 * existing tenant unless --append, which keeps the old blocks in the index.
 */

let work: string
const small = ['--traces-per-block', '10', '--row-group-bytes', '100000', '--page-bytes', '8192']

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tempo-batch-append-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('generate into an existing tenant', () => {
  it('reports progress per block, refuses a second run, and --append keeps every block in the index', async () => {
    const out = join(work, 'blocks')
    const first = await captureMain(['generate', '--out', out, '--tenant', 't', '--blocks', '2', '--seed', '1', ...small])
    expect(first.code).toBe(0)
    expect(first.stderr.match(/^tempo-batch generate: block \d\/2 [0-9a-f-]{36}: \d+ traces, \d+ spans \([\d.]+ s\)$/gm)).toHaveLength(2)

    const again = await captureMain(['generate', '--out', out, '--tenant', 't', '--blocks', '1', '--seed', '2', ...small])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('--out: tenant "t" in file:')
    expect(again.stderr).toContain('has 2 blocks already: pass --append to add more')

    const sameSeed = await captureMain(['generate', '--out', out, '--tenant', 't', '--blocks', '1', '--seed', '1', '--append', ...small])
    expect(sameSeed.code).toBe(2)
    expect(sameSeed.stderr).toContain('seed: 1 would rewrite block')

    const appended = await captureMain(['generate', '--out', out, '--tenant', 't', '--blocks', '1', '--seed', '2', '--append', ...small])
    expect(appended.code).toBe(0)
    const store = new FsStore(out)
    const listed = await discoverBlocks(store, new TempoLayout(''), 't', { source: 'listing' })
    const indexed = await discoverBlocks(store, new TempoLayout(''), 't', { source: 'tenant-index' })
    expect(listed.blocks).toHaveLength(3)
    expect(indexed.blocks.map((b) => b.blockId)).toEqual(listed.blocks.map((b) => b.blockId))
  })
})
