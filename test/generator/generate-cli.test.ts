import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { run } from '../../functions/cli/commands/generate.js'

function capture(): { out: () => string; err: () => string; restore: () => void } {
  const out: string[] = []
  const err: string[] = []
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true))
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true))
  return { out: () => out.join(''), err: () => err.join(''), restore: () => (o.mockRestore(), e.mockRestore()) }
}

describe('tempo-batch generate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tempo-batch-generate-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('writes a tenant into a directory and prints a one-line summary', async () => {
    const io = capture()
    const code = await run(['--out', dir, '--tenant', 't1', '--blocks', '2', '--traces-per-block', '15', '--format', 'vParquet5', '--seed', '9', '--bloom-shard-bytes', '32'])
    io.restore()
    expect(code).toBe(0)
    expect(io.out().trim().split('\n')).toHaveLength(1)
    expect(io.out()).toMatch(/^generated vParquet5 tenant t1 in file:.*: 2 blocks, \d+ traces/)
    const entries = readdirSync(join(dir, 't1')).sort()
    expect(entries).toEqual(expect.arrayContaining(['index.json.gz', 'index.pb.zst']))
    const blocks = entries.filter((e) => /^[0-9a-f-]{36}$/.test(e))
    expect(blocks).toHaveLength(2)
    for (const b of blocks) {
      expect(readdirSync(join(dir, 't1', b))).toEqual(expect.arrayContaining(['data.parquet', 'bloom-0', 'index', 'meta.json']))
      expect(JSON.parse(readFileSync(join(dir, 't1', b, 'meta.json'), 'utf8')).format).toBe('vParquet5')
    }
  })

  it.each([
    [['--blocks', '2']],
    [['--out', dir, '--blocks', 'x']],
    [['--out', dir, '--format', 'vParquet3']],
    [['--out', dir, '--bloom-fp', '1.5']],
    [['--out', dir, '--tenant', '../x']],
    [['--out', dir, '--bogus']],
  ])('exits 2 with a one-line error on bad arguments %j', async (argv) => {
    const io = capture()
    const code = await run(argv)
    io.restore()
    expect(code).toBe(2)
    expect(io.err().trim().split('\n')).toHaveLength(1)
    expect(io.err()).toMatch(/^tempo-batch generate: /)
  })
})
