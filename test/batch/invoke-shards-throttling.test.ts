import { describe, expect, it } from 'vitest'
import { invokeShards } from '../../functions/core/batch/invoke-shards.js'
import { emptyStats } from '../../functions/core/batch/stats.js'
import { ReaderThrottledError } from '../../functions/core/contract/errors.js'
import type { Invoker, ReaderJob, ReaderSummary } from '../../functions/core/contract/types.js'

function job(shard: number): ReaderJob {
  return { requestId: 'r', tenant: 't', shard, blockIdMin: 'a', blockIdMax: 'b', blocks: [], traceIds: ['1'], maxBytesPerTrace: 0, partKey: `p${shard}` }
}

function summary(j: ReaderJob): ReaderSummary {
  return { shard: j.shard, partKey: j.partKey, tracesFound: 0, failedBlocks: [], stats: emptyStats(), durationMs: 1 }
}

/**
 * An invoker that behaves like a Lambda function with a concurrency limit: past `limit` calls running, a
 * call is refused at once with a throttle (Retry-After `retryAfterSeconds`); a call that runs holds its
 * slot for `holdMs`.
 */
function limitedInvoker(limit: number, retryAfterSeconds?: number, holdMs = 10) {
  let running = 0
  const state = { throttled: 0, peak: 0, calls: [] as ReaderJob[] }
  const invoker: Invoker = {
    async invoke(j) {
      state.calls.push(j)
      if (running >= limit) {
        state.throttled++
        throw new ReaderThrottledError(`lambda: reader throttled (shard ${j.shard})`, retryAfterSeconds)
      }
      running++
      state.peak = Math.max(state.peak, running)
      await new Promise((resolve) => setTimeout(resolve, holdMs))
      running--
      return summary(j)
    },
  }
  return { invoker, state }
}

describe('invokeShards under throttling', () => {
  it('sends a throttled call again after the backoff, honouring Retry-After, without spending an attempt', async () => {
    const sent: number[] = []
    let calls = 0
    const invoker: Invoker = {
      async invoke(j) {
        sent.push(Date.now())
        if (++calls <= 3) throw new ReaderThrottledError('lambda: throttled', 0.05)
        return summary(j)
      },
    }
    const [result] = await invokeShards(invoker, [job(0)], { concurrency: 1, timeoutMs: 5_000, throttleBackoff: { baseMs: 1, maxMs: 2 } })
    expect(result!.outcome).toMatchObject({ status: 'ok', attempts: 1, throttled: 3 })
    // Retry-After (50 ms) wins over the far shorter backoff: each call waited at least that long.
    for (let i = 1; i < sent.length; i++) expect(sent[i]! - sent[i - 1]!).toBeGreaterThanOrEqual(45)
  })

  it('runs two fan-outs over a reader limited to 3 at once: every shard completes, none over the limit', async () => {
    const limited = limitedInvoker(3)
    const options = { concurrency: 4, timeoutMs: 10_000, throttleBackoff: { baseMs: 2, maxMs: 10 } }
    const [a, b] = await Promise.all([
      invokeShards(limited.invoker, Array.from({ length: 6 }, (_, i) => job(i)), options),
      invokeShards(limited.invoker, Array.from({ length: 6 }, (_, i) => job(100 + i)), options),
    ])
    expect([...a!, ...b!].map((r) => r.outcome.status)).toEqual(Array(12).fill('ok'))
    expect(limited.state.peak).toBe(3)
    expect(limited.state.throttled).toBeGreaterThan(0)
  })

  it('gives up on throttling at the batch deadline, naming it, and gives each call the deadline of its attempt', async () => {
    const limited = limitedInvoker(0, 0.02)
    const deadline = Date.now() + 200
    const [result] = await invokeShards(limited.invoker, [job(7)], { concurrency: 1, timeoutMs: 60_000, deadline, throttleBackoff: { baseMs: 1, maxMs: 5 } })
    expect(result!.outcome.status).toBe('failed')
    expect(result!.outcome.error).toBe('lambda: reader throttled (shard 7)')
    expect(result!.outcome.throttled).toBeGreaterThan(1)
    for (const call of limited.state.calls) expect(call.deadline).toBeLessThanOrEqual(deadline)
  })

  it('starts a call\'s timer when it is sent, not while it waited out throttling', async () => {
    let calls = 0
    const invoker: Invoker = {
      async invoke(j) {
        if (++calls <= 2) throw new ReaderThrottledError('lambda: throttled', 0.1)
        // Answers in 50 ms: within the 150 ms timeout, though 250 ms have passed since the shard began.
        await new Promise((resolve) => setTimeout(resolve, 50))
        return summary(j)
      },
    }
    const [result] = await invokeShards(invoker, [job(1)], { concurrency: 1, timeoutMs: 150, throttleBackoff: { baseMs: 1, maxMs: 1 }, deadline: Date.now() + 5_000 })
    expect(result!.outcome).toMatchObject({ status: 'ok', attempts: 1, throttled: 2 })
  })

  it('an aborted fan-out abandons its calls and reports why', async () => {
    const controller = new AbortController()
    const invoker: Invoker = { invoke: (_j, options) => new Promise((_, reject) => options?.signal?.addEventListener('abort', () => reject(new Error('call aborted')))) }
    const running = invokeShards(invoker, [job(1), job(2)], { concurrency: 2, timeoutMs: 60_000, signal: controller.signal })
    controller.abort(new Error('api: answering before the gateway limit'))
    const results = await running
    expect(results.map((r) => r.outcome.status)).toEqual(['failed', 'failed'])
  })
})
