import { spawn, type ChildProcess } from 'node:child_process'
import { readFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { writeSmallTenant } from '../support/small-tenant.js'

/**
 * Issue 11, load: `tempo-batch serve` as a user runs it (its own process, worker threads, loopback only)
 * under concurrent batch requests and lookups, bounded in count and time. Past its in-flight limits it
 * answers 429 with Retry-After; clients that wait as told are all served; nothing answers 5xx. The
 * figures (requests held, 429s, peak RSS of the server process) are printed for the README.
 */

const repo = resolve(import.meta.dirname, '..', '..')
const MAX_BATCHES = 2
let work: string
let ids: string[] = []
let child: ChildProcess
let url = ''
let stderr = ''

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tempo-batch-load-'))
  ids = (await writeSmallTenant(new FsStore(join(work, 'tempo')), 'demo', 161, { blocks: 4, tracesPerBlock: 150 })).traceIds
  const loader = pathToFileURL(join(repo, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
  const args = ['serve', '--store', join(work, 'tempo'), '--results', join(work, 'results'), '--port', '0', '--concurrency', '2', '--max-batches', String(MAX_BATCHES), '--max-inflight-ids', '200']
  child = spawn(process.execPath, ['--import', loader, join(repo, 'functions', 'cli', 'main.ts'), ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve did not start: ${stderr}`)), 60_000)
    child.stderr!.on('data', () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)
      if (match) {
        clearTimeout(timer)
        done(match[1]!)
      }
    })
  })
})
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
  await rm(work, { recursive: true, force: true })
})

/** Peak resident memory of a process (VmHWM), in MB. */
async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024)
}

interface Tally {
  sent: number
  ok: number
  busy: number
  other: number[]
}

/** Send `request` until it is served, waiting as each 429's Retry-After says (at most 100 attempts: no client starves for ever). */
async function served(request: () => Promise<Response>, tally: Tally): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    tally.sent++
    const response = await request()
    await response.arrayBuffer()
    if (response.status === 200) {
      tally.ok++
      return
    }
    if (response.status !== 429) {
      tally.other.push(response.status)
      return
    }
    tally.busy++
    const seconds = Number(response.headers.get('retry-after'))
    expect(seconds).toBeGreaterThan(0)
    await new Promise((done) => setTimeout(done, seconds * 1000))
  }
  throw new Error('not served after 100 attempts')
}

/** Run `tasks` with `concurrency` at a time. */
async function pool(tasks: (() => Promise<void>)[], concurrency: number): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < tasks.length) await tasks[next++]!()
  }))
}

describe('tempo-batch serve under load', () => {
  it('holds 36 concurrent batches and 120 lookups with 429 + Retry-After past its limits, no 5xx, everyone served', async () => {
    const tally: Tally = { sent: 0, ok: 0, busy: 0, other: [] }
    const started = performance.now()
    const batches = Array.from({ length: 36 }, (_, i) => () =>
      served(() => fetch(`${url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'demo', traceIds: ids.slice(i * 15, i * 15 + 40), requestId: `load-${i}` }) }), tally),
    )
    const lookups = Array.from({ length: 120 }, (_, i) => () => served(() => fetch(`${url}/api/v2/traces/${ids[(i * 7) % ids.length]}`, { headers: { 'x-scope-orgid': 'demo' } }), tally))
    // Interleaved: a batch, then a few lookups, so both kinds compete for the same slots.
    const tasks = batches.flatMap((batch, i) => [batch, ...lookups.slice(i * 4, i * 4 + 4)]).concat(lookups.slice(batches.length * 4))
    await pool(tasks, 8)
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    const rss = await peakRssMb(child.pid!)
    const stopped = new Promise<void>((done) => child.on('exit', () => done()))
    child.kill('SIGTERM')
    await stopped
    expect(tally.other).toEqual([])
    expect(tally.ok).toBe(156)
    expect(tally.busy).toBeGreaterThan(0)
    const summary = /stopped; (\d+) batches and lookups served, (\d+) refused with 429, at most (\d+) batches and (\d+) trace IDs at once/.exec(stderr)
    expect(summary, stderr).not.toBeNull()
    expect(Number(summary![3])).toBeLessThanOrEqual(MAX_BATCHES)
    console.log(`[reliability] load: 36 batches of 40 IDs and 120 lookups from 8 clients in ${seconds} s: ${tally.sent} requests sent, ${tally.ok} served, ${tally.busy} answered 429 (Retry-After) and retried, 0 5xx; at most ${summary![3]} batches and ${summary![4]} IDs in flight; server peak RSS ${rss} MB`)
  }, 240_000)
})
