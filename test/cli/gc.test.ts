import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captureMain } from '../support/capture-main.js'

/** Issue 14, defect 8: results under .tempo-batch/results grew without bound; `tempo-batch gc` removes old ones. */

let work: string
const DAY = 24 * 60 * 60

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tempo-batch-gc-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

async function request(results: string, tenant: string, id: string, ageDays: number): Promise<void> {
  const files = [join(results, tenant, id, 'manifest.json'), join(results, tenant, id, 'run-1', 'result.ndjson.gz')]
  const when = Date.now() / 1000 - ageDays * DAY
  for (const file of files) {
    await mkdir(join(file, '..'), { recursive: true })
    await writeFile(file, 'x'.repeat(10))
    await utimes(file, when, when)
  }
}

describe('tempo-batch gc', () => {
  it('deletes request folders older than --older-than days, keeps younger ones, and drops empty tenant folders', async () => {
    const results = join(work, 'results')
    await request(results, 'a', 'old', 10)
    await request(results, 'a', 'young', 1)
    await request(results, 'b', 'old', 30)
    const dry = await captureMain(['gc', '--results', results, '--older-than', '7', '--dry-run'])
    expect(dry.code).toBe(0)
    expect(dry.stdout.trim().split('\n')).toEqual(['a/old', 'b/old'])
    expect(existsSync(join(results, 'a', 'old'))).toBe(true)

    const run = await captureMain(['gc', '--results', results, '--older-than', '7'])
    expect(run.code).toBe(0)
    expect(run.stderr).toContain('deleted 2 requests (40 bytes) older than 7 days')
    expect(existsSync(join(results, 'a', 'old'))).toBe(false)
    expect(existsSync(join(results, 'a', 'young'))).toBe(true)
    expect(existsSync(join(results, 'b'))).toBe(false)
  })

  it('refuses S3 results and bad values with exit 2', async () => {
    expect((await captureMain(['gc', '--results', 's3://bucket/results'])).code).toBe(2)
    const bad = await captureMain(['gc', '--older-than', '-1'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--older-than')
  })
})
