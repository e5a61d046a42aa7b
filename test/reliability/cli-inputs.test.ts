import fc from 'fast-check'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { captureMain } from '../support/capture-main.js'
import { writeSmallTenant } from '../support/small-tenant.js'
import { badTenant, CaseTally } from './support/bad-requests.js'
import { SEED, report } from './support/seed.js'

/**
 * Issue 11, bad input at the CLI: generated argument lists for every command, each broken in exactly one
 * way. Every one exits 2 with one line on stderr naming the flag, prints no result and writes nothing.
 */

let work: string
let store: string
let results: string
let id = ''
let idsFile = ''

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tempo-batch-cli-inputs-'))
  store = join(work, 'blocks')
  results = join(work, 'results')
  id = (await writeSmallTenant(new FsStore(store), 'demo', 121)).traceIds[0]!
  idsFile = join(work, 'ids.txt')
  await writeFile(idsFile, `${id}\n`)
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

interface BadArgs {
  breaker: string
  argv: string[]
  /** stderr names one of these. */
  names: string[]
}

const optionName = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz-'), minLength: 2, maxLength: 12 }).filter((n) => /^[a-z]/.test(n))
const notInteger = fc.constantFrom('-1', '1.5', 'x', '', ' 3', '1e3', '0x10', '-0.5')
const tenantText = badTenant.filter((t): t is string => typeof t === 'string' && !t.startsWith('-'))

/** Each command's valid arguments and the ways to break them. */
function commands(): Record<string, { base: () => string[]; breakers: fc.Arbitrary<{ breaker: string; change: (argv: string[]) => string[]; names: string[] }>[]; options: string[] }> {
  const set = (flag: string, value: string) => (argv: string[]) => {
    const at = argv.indexOf(flag)
    return at >= 0 ? [...argv.slice(0, at + 1), value, ...argv.slice(at + 2)] : [...argv, flag, value]
  }
  const drop = (flag: string) => (argv: string[]) => {
    const at = argv.indexOf(flag)
    return at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 2)] : argv
  }
  const common = (options: string[]) => [
    optionName.filter((n) => !options.includes(n)).map((n) => ({ breaker: 'unknown option', change: (argv: string[]) => [...argv, `--${n}`], names: [`--${n}`] })),
    fc.constantFrom(...options.filter((o) => !['json', 'dry-run', 'append'].includes(o))).map((o) => ({ breaker: 'missing value', change: (argv: string[]) => [...drop(`--${o}`)(argv), `--${o}`], names: [`--${o}`] })),
    fc.string({ unit: fc.constantFrom(...'abc123'), minLength: 1, maxLength: 6 }).map((p) => ({ breaker: 'positional', change: (argv: string[]) => [...argv, p], names: ['arguments'] })),
  ]
  const compareOptions = ['store', 'endpoint', 'results', 'prefix', 'tenant', 'a', 'b', 'a-result', 'b-result', 'a-label', 'b-label', 'start', 'end', 'html', 'json', 'fdr', 'concurrency', 'request-id']
  const fetchOptions = ['store', 'endpoint', 'results', 'prefix', 'tenant', 'ids', 'id', 'start', 'end', 'max-bytes-per-trace', 'out', 'stats', 'concurrency', 'request-id']
  return {
    fetch: {
      options: fetchOptions,
      base: () => ['fetch', '--store', store, '--tenant', 'demo', '--id', id, '--results', results, '--concurrency', '1'],
      breakers: [
        ...common(fetchOptions),
        tenantText.map((t) => ({ breaker: 'tenant', change: set('--tenant', t), names: ['--tenant'] })),
        fc.constant({ breaker: 'no tenant', change: drop('--tenant'), names: ['--tenant'] }),
        fc.constant({ breaker: 'no store', change: drop('--store'), names: ['--store'] }),
        fc.constantFrom('xyz', 'a'.repeat(33), '0x1', '-', 'g1').map((v) => ({ breaker: 'id', change: set('--id', v), names: ['--id'] })),
        fc.tuple(fc.constantFrom('--start', '--end', '--max-bytes-per-trace'), notInteger).map(([flag, v]) => ({ breaker: flag, change: set(flag, v), names: [flag] })),
        fc.integer({ min: 2, max: 2e9 }).map((s) => ({ breaker: 'reversed window', change: (argv: string[]) => set('--end', String(s - 1))(set('--start', String(s))(argv)), names: ['--start'] })),
        fc.constantFrom('0', '-2', 'x', '1.5', '').map((v) => ({ breaker: 'concurrency', change: set('--concurrency', v), names: ['--concurrency'] })),
        fc.constantFrom('', '.x', 'a/b', 'x'.repeat(129), 'a b').map((v) => ({ breaker: 'request id', change: set('--request-id', v), names: ['--request-id'] })),
        fc.constantFrom('--out', '--stats').map((flag) => ({ breaker: flag, change: set(flag, join(work, 'missing-folder', 'x.json')), names: [flag] })),
        fc.constant({ breaker: 'ids file', change: set('--ids', join(work, 'no-such-ids.txt')), names: ['--ids'] }),
      ],
    },
    blocks: {
      options: ['store', 'endpoint', 'results', 'prefix', 'tenant', 'json'],
      base: () => ['blocks', '--store', store, '--tenant', 'demo'],
      breakers: [
        ...common(['store', 'endpoint', 'results', 'prefix', 'tenant', 'json']),
        tenantText.map((t) => ({ breaker: 'tenant', change: set('--tenant', t), names: ['--tenant', 'tenant'] })),
        fc.constant({ breaker: 'json value', change: (argv: string[]) => [...argv, '--json=yes'], names: ['--json'] }),
      ],
    },
    serve: {
      options: ['store', 'endpoint', 'results', 'prefix', 'port', 'host', 'concurrency', 'max-bytes-per-trace', 'tenant-max-bytes'],
      base: () => ['serve', '--store', store, '--port', '0', '--results', results],
      breakers: [
        ...common(['store', 'endpoint', 'results', 'prefix', 'port', 'host', 'concurrency', 'max-bytes-per-trace', 'tenant-max-bytes']),
        fc.constantFrom('99999', '65536', '-1', 'x', '1.5', '').map((v) => ({ breaker: 'port', change: set('--port', v), names: ['--port'] })),
        fc.constantFrom('0', '-1', 'many').map((v) => ({ breaker: 'concurrency', change: set('--concurrency', v), names: ['--concurrency'] })),
        fc.oneof(fc.constantFrom('demo', 'demo=', '=5', 'demo=-1', 'demo=1.5'), tenantText.map((t) => `${t}=5`)).map((v) => ({ breaker: 'tenant limit', change: (argv: string[]) => [...argv, '--tenant-max-bytes', v], names: ['--tenant-max-bytes', 'tenant'] })),
      ],
    },
    generate: {
      options: ['out', 'tenant', 'blocks', 'traces-per-block', 'format', 'seed', 'row-group-bytes', 'page-bytes', 'bloom-fp', 'bloom-shard-bytes', 'replicated', 'split', 'endpoint', 'prefix', 'ids-out', 'append'],
      base: () => ['generate', '--out', join(work, 'generated'), '--tenant', 't', '--blocks', '1', '--traces-per-block', '5'],
      breakers: [
        ...common(['out', 'tenant', 'blocks', 'traces-per-block', 'format', 'seed', 'row-group-bytes', 'page-bytes', 'bloom-fp', 'bloom-shard-bytes', 'replicated', 'split', 'endpoint', 'prefix', 'ids-out', 'append']),
        fc.constantFrom('vParquet3', 'parquet', '').map((v) => ({ breaker: 'format', change: set('--format', v), names: ['--format'] })),
        fc.tuple(fc.constantFrom('--blocks', '--traces-per-block', '--row-group-bytes', '--page-bytes', '--bloom-shard-bytes', '--seed'), fc.constantFrom('-1', 'x', '1.5')).map(([flag, v]) => ({ breaker: flag, change: set(flag, v), names: [flag] })),
        fc.tuple(fc.constantFrom('--bloom-fp', '--replicated', '--split'), fc.constantFrom('1', '1.5', '-0.1', 'x')).map(([flag, v]) => ({ breaker: flag, change: set(flag, v), names: [flag] })),
        tenantText.map((t) => ({ breaker: 'tenant', change: set('--tenant', t), names: ['tenant'] })),
        fc.constant({ breaker: 'no out', change: drop('--out'), names: ['--out'] }),
      ],
    },
    compare: {
      options: compareOptions,
      base: () => ['compare', '--store', store, '--tenant', 'demo', '--a', idsFile, '--b', idsFile, '--results', results, '--concurrency', '1'],
      breakers: [
        ...common(compareOptions),
        tenantText.map((t) => ({ breaker: 'tenant', change: set('--tenant', t), names: ['--tenant'] })),
        fc.constant({ breaker: 'no tenant', change: drop('--tenant'), names: ['--tenant'] }),
        fc.constantFrom('0', '-2', 'x').map((v) => ({ breaker: 'concurrency', change: set('--concurrency', v), names: ['--concurrency'] })),
        fc.constantFrom('0', '1', 'x', '-0.1', '1.5').map((v) => ({ breaker: 'fdr', change: set('--fdr', v), names: ['--fdr'] })),
        fc.constantFrom('--html', '--json').map((flag) => ({ breaker: flag, change: set(flag, join(work, 'missing-folder', 'report')), names: [flag] })),
        fc.constantFrom('--a', '--b').map((flag) => ({ breaker: 'ids file', change: set(flag, join(work, 'no-such-ids.txt')), names: ['--ids', flag] })),
        fc.tuple(fc.constantFrom('--start', '--end'), notInteger).map(([flag, v]) => ({ breaker: flag, change: set(flag, v), names: [flag] })),
        fc.constant({ breaker: 'results and ids', change: (argv: string[]) => [...argv, '--a-result', join(work, 'r.ndjson')], names: ['--a'] }),
      ],
    },
    gc: {
      options: ['results', 'older-than', 'dry-run'],
      base: () => ['gc', '--results', results, '--dry-run'],
      breakers: [
        ...common(['results', 'older-than', 'dry-run']),
        notInteger.filter((v) => v !== '').map((v) => ({ breaker: 'older-than', change: set('--older-than', v), names: ['--older-than'] })),
        fc.constant({ breaker: 's3 results', change: set('--results', 's3://bucket/results'), names: ['--results'] }),
      ],
    },
  }
}

function badArgs(): fc.Arbitrary<BadArgs> {
  const all = commands()
  return fc.constantFrom(...Object.keys(all)).chain((name) => {
    const command = all[name]!
    return fc.oneof(...command.breakers).map((b): BadArgs => ({ breaker: `${name} ${b.breaker}`, argv: b.change(command.base()), names: b.names }))
  })
}

describe('CLI: malformed arguments (property test, fixed seed)', () => {
  it('1,200 broken argument lists over every command: exit 2, one line naming the flag, nothing written', async () => {
    const tally = new CaseTally()
    await fc.assert(
      fc.asyncProperty(badArgs(), async (bad) => {
        tally.add(bad.breaker.split(' ')[0]!)
        const run = await captureMain(bad.argv)
        const context = `${JSON.stringify(bad.argv).slice(0, 300)} -> ${run.code} ${run.stderr.slice(0, 300)}`
        expect(run.code, context).toBe(2)
        expect(run.stdout, context).toBe('')
        expect(run.stderr.trim().split('\n').length, context).toBeLessThanOrEqual(2)
        expect(run.stderr, context).not.toMatch(/\n\s+at |\.ts:\d+/)
        expect(bad.names.some((name) => run.stderr.includes(name)), context).toBe(true)
      }),
      { seed: SEED, numRuns: 1_200 },
    )
    report('CLI', tally)
    expect(existsSync(results)).toBe(false)
    expect(existsSync(join(work, 'generated'))).toBe(false)
  })
})
