import { execFile } from 'node:child_process'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BenchUsageError, parseBenchOptions } from '../../bench/options.js'

const repo = resolve(import.meta.dirname, '..', '..')

/** Issue 14, defect 8: `npm run bench -- --help` printed a stack trace and `--skip` took any name. */
describe('bench options', () => {
  it('--skip accepts scenario names only', () => {
    expect([...parseBenchOptions(['--skip', 'duckdb,naive']).skip]).toEqual(['duckdb', 'naive'])
    expect(() => parseBenchOptions(['--skip', 'duckdb,nieve'])).toThrow(new BenchUsageError('bench: --skip "nieve" is not a scenario (batch, single, duckdb, naive, floor)'))
    expect(() => parseBenchOptions(['--bogus'])).toThrow(BenchUsageError)
  })

  it('--help prints the usage and exits 0; a bad flag is one line and exit 2, never a stack trace', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
        execFile(process.execPath, ['--import', 'tsx', join(repo, 'bench', 'run.ts'), ...args], { cwd: repo }, (error, stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }))
      })
    const help = await run(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^usage: npm run bench -- /)
    const bad = await run(['--skip', 'nope'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).not.toMatch(/\n\s+at /)
    expect(bad.stderr.trim().split('\n')).toHaveLength(2)
  })
})
