import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  LambdaInvoker,
  MAX_READER_PAYLOAD_BYTES,
  ReaderInvocationError,
  ReaderPayloadTooLargeError,
} from '../../functions/adapters/lambda-invoker.js'
import { ReaderThrottledError } from '../../functions/core/contract/errors.js'
import type { ReaderJob, ReaderSummary } from '../../functions/core/contract/types.js'
import { functionNameOf, startLambdaServer, type LambdaServer } from '../support/lambda-server.js'

function job(shard: number, traceIds: string[] = ['0000000000000000000000000000abcd']): ReaderJob {
  return {
    requestId: 'req-1',
    tenant: 'single-tenant',
    shard,
    blockIdMin: '00000000-0000-0000-0000-000000000000',
    blockIdMax: 'ffffffff-ffff-ffff-ffff-ffffffffffff',
    blocks: [],
    traceIds,
    maxBytesPerTrace: 5_000_000,
    partKey: `results/req-1/parts/${shard}`,
  }
}

function summaryFor(j: ReaderJob): ReaderSummary {
  return {
    shard: j.shard,
    partKey: j.partKey,
    tracesFound: j.traceIds.length,
    failedBlocks: [{ blockId: 'b', error: 'corrupt' }],
    stats: { blocksSearched: 1, bloomRejects: 0, requests: 3, bytesRead: 100, pagesDecoded: 2, rowsDecoded: 1, spans: 4, phaseMs: { read: 1 } },
    durationMs: 12,
  }
}

let server: LambdaServer
let client: LambdaClient

beforeAll(async () => {
  server = await startLambdaServer({
    reader: (event) => summaryFor(event as ReaderJob),
    failing: () => {
      throw new TypeError('cannot read block 1234: boom')
    },
    wrongShard: (event) => ({ ...summaryFor(event as ReaderJob), shard: 99 }),
    slow: async (_event, context) => {
      await new Promise((resolve) => setTimeout(resolve, 3000))
      return { aborted: context.signal.aborted }
    },
  })
  client = new LambdaClient({ ...server.clientConfig, maxAttempts: 1 })
})
afterAll(async () => {
  client?.destroy()
  await server?.stop()
})

describe('local Lambda server', () => {
  it('extracts the function name from plain names, ARNs and qualifiers', () => {
    expect(functionNameOf('reader')).toBe('reader')
    expect(functionNameOf('reader%3Alive')).toBe('reader')
    expect(functionNameOf(encodeURIComponent('arn:aws:lambda:eu-west-1:123456789012:function:reader'))).toBe('reader')
    expect(functionNameOf(encodeURIComponent('arn:aws:lambda:eu-west-1:123456789012:function:reader:7'))).toBe('reader')
    expect(functionNameOf(encodeURIComponent('123456789012:function:reader'))).toBe('reader')
  })

  it('answers Event invocations with 202 and runs them in the background', async () => {
    let ran = false
    server.register('background', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20))
      ran = true
    })
    const output = await client.send(new InvokeCommand({ FunctionName: 'background', InvocationType: 'Event', Payload: '{"a":1}' }))
    expect(output.StatusCode).toBe(202)
    await server.drain()
    expect(ran).toBe(true)
    expect(server.invocations.at(-1)).toMatchObject({ functionName: 'background', invocationType: 'Event', payload: { a: 1 }, outcome: 'ok' })
  })

  it('returns handler errors as 200 with X-Amz-Function-Error and {errorType, errorMessage}', async () => {
    const output = await client.send(new InvokeCommand({ FunctionName: 'failing', Payload: '{}' }))
    expect(output.StatusCode).toBe(200)
    expect(output.FunctionError).toBe('Unhandled')
    expect(JSON.parse(new TextDecoder().decode(output.Payload))).toMatchObject({ errorType: 'TypeError', errorMessage: 'cannot read block 1234: boom' })
  })

  it('answers an unknown function with 404 ResourceNotFoundException', async () => {
    const error = await client.send(new InvokeCommand({ FunctionName: 'nope', Payload: '{}' })).catch((e: unknown) => e)
    expect((error as Error).name).toBe('ResourceNotFoundException')
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(404)
  })
})

describe('LambdaInvoker', () => {
  it('invokes the reader with the job and returns its summary', async () => {
    const before = server.invocations.length
    const invoker = new LambdaInvoker({ functionName: 'reader', client })
    const j = job(3)
    expect(await invoker.invoke(j)).toEqual(summaryFor(j))
    expect(server.invocations.slice(before)).toEqual([
      expect.objectContaining({ functionName: 'reader', invocationType: 'RequestResponse', payload: j, outcome: 'ok' }),
    ])
  })

  it('works with a full ARN as the function name', async () => {
    const invoker = new LambdaInvoker({ functionName: 'arn:aws:lambda:us-east-1:123456789012:function:reader:live', client })
    expect((await invoker.invoke(job(4))).shard).toBe(4)
  })

  it('turns a function error into a ReaderInvocationError carrying the message and type', async () => {
    const invoker = new LambdaInvoker({ functionName: 'failing', client })
    const error = await invoker.invoke(job(1)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReaderInvocationError)
    expect((error as ReaderInvocationError).message).toBe('lambda: reader failing shard 1: function error: TypeError: cannot read block 1234: boom')
    expect((error as ReaderInvocationError).details.errorType).toBe('TypeError')
  })

  it('treats a payload carrying errorMessage as a failure even without the header', async () => {
    server.register('quietFailure', () => ({ errorType: 'Runtime.ExitError', errorMessage: 'process exited' }))
    const error = await new LambdaInvoker({ functionName: 'quietFailure', client }).invoke(job(2)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReaderInvocationError)
    expect((error as Error).message).toContain('Runtime.ExitError: process exited')
  })

  it('rejects an unknown function with a typed error naming ResourceNotFoundException', async () => {
    const error = await new LambdaInvoker({ functionName: 'missing-reader', client }).invoke(job(5)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReaderInvocationError)
    expect((error as ReaderInvocationError).details.errorType).toBe('ResourceNotFoundException')
    expect((error as Error).message).toContain('missing-reader')
  })

  it('refuses a summary for another shard', async () => {
    const error = await new LambdaInvoker({ functionName: 'wrongShard', client }).invoke(job(6)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReaderInvocationError)
    expect((error as Error).message).toContain('shard 99 does not match')
  })

  it('rejects a payload over the limit before sending anything', async () => {
    const before = server.invocations.length
    const ids = Array.from({ length: 9000 }, (_, i) => i.toString(16).padStart(32, '0'))
    const big = job(7, ids)
    expect(JSON.stringify(big).length).toBeGreaterThan(MAX_READER_PAYLOAD_BYTES)
    const error = await new LambdaInvoker({ functionName: 'reader', client }).invoke(big).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReaderPayloadTooLargeError)
    expect((error as ReaderPayloadTooLargeError).bytes).toBe(Buffer.byteLength(JSON.stringify(big)))
    expect(server.invocations.length).toBe(before)
    // Just under the limit still goes through.
    const fits = job(8, ids.slice(0, 7000))
    expect(JSON.stringify(fits).length).toBeLessThan(MAX_READER_PAYLOAD_BYTES)
    expect((await new LambdaInvoker({ functionName: 'reader', client }).invoke(fits)).tracesFound).toBe(7000)
  })

  it('turns reserved-concurrency throttling (429) into a ReaderThrottledError carrying Retry-After, with no SDK retries of its own', async () => {
    let release!: () => void
    let entered!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const running = new Promise<void>((resolve) => (entered = resolve))
    server.register(
      'throttledReader',
      async (event) => {
        entered()
        await gate
        return summaryFor(event as ReaderJob)
      },
      { reservedConcurrency: 1 },
    )
    // The client the invoker builds itself: the coordinator, not the SDK, decides when to call again.
    const invoker = new LambdaInvoker({ functionName: 'throttledReader', clientConfig: server.clientConfig })
    const first = invoker.invoke(job(11))
    // The first call holds the only slot once its handler runs: wait for that, not for the clock.
    await running
    const second = await invoker.invoke(job(12)).catch((e: unknown) => e)
    release()
    expect((await first).shard).toBe(11)
    expect(second).toBeInstanceOf(ReaderThrottledError)
    expect(second).toMatchObject({ retryAfterSeconds: 1, message: 'lambda: reader throttledReader shard 12: throttled (ReservedFunctionConcurrentInvocationLimitExceeded)' })
    expect(((second as Error).cause as Error).name).toBe('TooManyRequestsException')
    expect(server.throttled.get('throttledReader')).toBe(1)
    invoker.client.destroy()
  })

  it('has a socket for every invocation it may have in flight (the SDK alone would queue past 50)', { timeout: 20_000 }, async () => {
    const inFlight = 60
    let running = 0
    let releaseAll!: () => void
    const allArrived = new Promise<void>((resolve) => (releaseAll = resolve))
    server.register('wideReader', async (event) => {
      if (++running === inFlight) releaseAll()
      await allArrived
      return summaryFor(event as ReaderJob)
    })
    const invoker = new LambdaInvoker({ functionName: 'wideReader', clientConfig: server.clientConfig, maxConcurrentInvocations: inFlight })
    const summaries = await Promise.all(Array.from({ length: inFlight }, (_, i) => invoker.invoke(job(100 + i))))
    invoker.client.destroy()
    expect(summaries).toHaveLength(inFlight)
    expect(running).toBe(inFlight)
  })

  it('rides out throttling through the SDK retries (maxAttempts 6)', async () => {
    server.register(
      'busyReader',
      async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 150))
        return summaryFor(event as ReaderJob)
      },
      { reservedConcurrency: 1 },
    )
    const retrying = new LambdaClient({ ...server.clientConfig, maxAttempts: 6 })
    const invoker = new LambdaInvoker({ functionName: 'busyReader', client: retrying })
    const summaries = await Promise.all([invoker.invoke(job(13)), invoker.invoke(job(14))])
    retrying.destroy()
    expect(summaries.map((s) => s.shard)).toEqual([13, 14])
    expect(server.throttled.get('busyReader')).toBeGreaterThanOrEqual(1)
  })

  it('times out a slow reader with a typed error', async () => {
    // The reader answers only after the assertions: the error can only come from the invoker's timeout.
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    server.register('stuckReader', async (event) => {
      await gate
      return summaryFor(event as ReaderJob)
    })
    const error = await new LambdaInvoker({ functionName: 'stuckReader', client, timeoutMs: 200 }).invoke(job(9)).catch((e: unknown) => e)
    release()
    expect(error).toBeInstanceOf(ReaderInvocationError)
    expect((error as ReaderInvocationError).details.timedOut).toBe(true)
    expect((error as Error).message).toBe('lambda: reader stuckReader shard 9: timed out after 200 ms')
  })

  it("honours the caller's abort signal", async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('coordinator gave up')), 100)
    const error = await new LambdaInvoker({ functionName: 'slow', client }).invoke(job(10), { signal: controller.signal }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReaderInvocationError)
    expect((error as Error).message).toBe('lambda: reader slow shard 10: aborted')
    expect((error as ReaderInvocationError).details.timedOut).toBeUndefined()
  })
})
