import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readerThreads } from '../../functions/cli/args.js'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { captureMain } from '../support/capture-main.js'
import { writeSmallTenant } from '../support/small-tenant.js'

/**
 * Issue 14's argument defects, each as a user meets them: one line on stderr naming what is wrong, exit
 * code 2 for bad input and 1 for a failure, never a stack trace or Node's own advice text.
 */

let work: string
let store: string
let ids: string[] = []

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tempo-batch-args-'))
  store = join(work, 'blocks')
  ids = (await writeSmallTenant(new FsStore(store), 'demo', 21)).traceIds
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

function expectOneLine(stderr: string): void {
  expect(stderr.trim().split('\n').length).toBeLessThanOrEqual(2)
  expect(stderr).not.toMatch(/\n\s+at /)
}

describe('fetch arguments (issue 14, defect 8)', () => {
  it('without --tenant says the flag is required, not "undefined must be a string"', async () => {
    const run = await captureMain(['fetch', '--store', store, '--id', '1'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--tenant: is required')
    expect(run.stderr).not.toContain('undefined')
    expectOneLine(run.stderr)
  })

  it('an ID file holding only comments names the file, not "give --ids or --id"', async () => {
    await writeFile(join(work, 'comments.txt'), '# nothing here\n\n   # still nothing\n')
    const run = await captureMain(['fetch', '--store', store, '--tenant', 'demo', '--ids', join(work, 'comments.txt')])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('comments.txt holds no trace IDs')
    expectOneLine(run.stderr)
  })

  it('a bad ID names its file and line, not a position in the request', async () => {
    await writeFile(join(work, 'bad.txt'), `${ids[0]}\n# comment\n${ids[1]} xyz\n`)
    const run = await captureMain(['fetch', '--store', store, '--tenant', 'demo', '--ids', join(work, 'bad.txt')])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`${join(work, 'bad.txt')}:3: "xyz" is not hexadecimal`)
    expect(run.stderr).not.toContain('traceIds[')
    const flag = await captureMain(['fetch', '--store', store, '--tenant', 'demo', '--id', 'nothex'])
    expect(flag.stderr).toContain('--id: "nothex" is not hexadecimal')
  })

  it('--max-bytes-per-trace -1 says what is wrong with -1, not "argument is ambiguous"', async () => {
    const run = await captureMain(['fetch', '--store', store, '--tenant', 'demo', '--id', '1', '--max-bytes-per-trace', '-1'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--max-bytes-per-trace: "-1" is not a non-negative integer')
    expect(run.stderr).not.toMatch(/ambiguous/)
    expectOneLine(run.stderr)
  })

  it('request fields are named by their flags (--start/--end, --request-id)', async () => {
    const window = await captureMain(['fetch', '--store', store, '--tenant', 'demo', '--id', '1', '--start', '10', '--end', '5'])
    expect(window.code).toBe(2)
    expect(window.stderr).toContain('--start: end (5) must be greater than start (10)')
    const requestId = await captureMain(['fetch', '--store', store, '--tenant', 'demo', '--id', '1', '--request-id', '../x'])
    expect(requestId.stderr).toContain('--request-id:')
    const tenant = await captureMain(['fetch', '--store', store, '--tenant', 'a:b', '--id', '1'])
    expect(tenant.stderr).toContain('--tenant: "a:b" contains ":"')
  })

  it('unknown options and missing values are one line naming the flag', async () => {
    const unknown = await captureMain(['fetch', '--store', store, '--tenant', 'demo', '--id', '1', '--bogus'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('--bogus: is not an option of this command')
    const missing = await captureMain(['fetch', '--store', store, '--tenant'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('--tenant: needs a value')
    expectOneLine(missing.stderr)
  })
})

describe('--concurrency (issue 14, defect 2)', () => {
  it.each([['0'], ['-3'], ['abc'], ['1.5'], ['']])('refuses %j with exit 2 naming the flag', async (value) => {
    const run = await captureMain(['fetch', '--store', store, '--tenant', 'demo', '--id', ids[0]!, '--concurrency', value])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--concurrency')
    expectOneLine(run.stderr)
  })

  it('caps a large value to the cores and says so; the help says what N is', async () => {
    expect(readerThreads('1000', 2)).toEqual({ workers: 2, note: '--concurrency 1000 is more than the 2 cores; running at most 2 reader threads' })
    expect(readerThreads('1', 8)).toEqual({ workers: 1 })
    expect(readerThreads(undefined, 4)).toEqual({ workers: 4 })
    const help = await captureMain(['fetch', '--help'])
    expect(help.stdout).toContain('--concurrency N: reader worker threads')
  })
})

describe('serve and --version (issue 14, defect 8)', () => {
  it('serve --port 99999 exits 2 naming the flag instead of a raw Node error', async () => {
    const run = await captureMain(['serve', '--store', store, '--port', '99999'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--port: 99999 is not between 0 and 65535')
    expect(run.stderr).not.toContain('ERR_SOCKET_BAD_PORT')
  })

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }
    const run = await captureMain(['--version'])
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(`tempo-batch ${pkg.version}\n`)
  })
})

describe('output locations are checked before anything is read (issue 14, defect 3)', () => {
  it.each([['--out'], ['--stats']])('%s into a folder that does not exist: exit 2 at once, no result written', async (flag) => {
    const results = join(work, `results-${flag.slice(2)}`)
    const target = join(work, 'no-such-folder', 'file.json')
    const run = await captureMain(['fetch', '--store', store, '--tenant', 'demo', '--id', ids[0]!, '--results', results, flag, target])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`${flag}: folder ${join(work, 'no-such-folder')} does not exist`)
    expectOneLine(run.stderr)
    expect(existsSync(results)).toBe(false)
  })

  it('--out naming a folder is refused the same way', async () => {
    await mkdir(join(work, 'a-folder'), { recursive: true })
    const run = await captureMain(['fetch', '--store', store, '--tenant', 'demo', '--id', ids[0]!, '--out', join(work, 'a-folder')])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('is a folder; give a file name')
  })
})

describe('a store that does not exist is an error, exit 1 (issue 14, defect 6)', () => {
  it('a missing folder and a file are refused before any batch runs', async () => {
    const missing = await captureMain(['fetch', '--store', join(work, 'nope'), '--tenant', 'demo', '--id', '1', '--results', join(work, 'r-missing')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain(`store ${join(work, 'nope')} does not exist`)
    expectOneLine(missing.stderr)
    await writeFile(join(work, 'a-file'), 'x')
    const file = await captureMain(['blocks', '--store', join(work, 'a-file'), '--tenant', 'demo'])
    expect(file.code).toBe(1)
    expect(file.stderr).toContain('is a file, not a folder of tenants')
  })

  it('a failure after the batch started (results cannot be written) is exit 1 with one line', async () => {
    await writeFile(join(work, 'results-file'), 'not a folder')
    const run = await captureMain(['fetch', '--store', store, '--tenant', 'demo', '--id', ids[0]!, '--results', join(work, 'results-file'), '--concurrency', '1'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^tempo-batch fetch: storage: /m)
    expectOneLine(run.stderr)
  })
})
