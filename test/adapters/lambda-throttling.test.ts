import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LambdaInvoker } from '../../functions/adapters/lambda-invoker.js'
import { runBatch, type CoordinatorDeps } from '../../functions/core/batch/coordinator.js'
import { runReaderJob } from '../../functions/core/batch/reader.js'
import { parseBatchRequest } from '../../functions/core/contract/request.js'
import type { ReaderJob, ResultLine } from '../../functions/core/contract/types.js'
import { readResultLines } from '../../functions/core/results/result-lines.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { generateTenant, type GeneratedTenantSummary } from '../../functions/generator/generate-tenant.js'
import { startLambdaServer, type LambdaServer } from '../support/lambda-server.js'

const layout = new TempoLayout()
const tempoStore = new MemoryStore()
const resultStore = new MemoryStore()
let tenant: GeneratedTenantSummary
let server: LambdaServer

beforeAll(async () => {
  tenant = await generateTenant(tempoStore, { tenant: 'busy', seed: 12, blocks: 6, tracesPerBlock: 20, rowGroupBytes: 1_000_000 })
  server = await startLambdaServer()
  // The real reader over the generated tenant, behind a reserved concurrency of 2: a third call at once is
  // refused with 429 TooManyRequestsException (Retry-After: 1), as Lambda refuses it.
  server.register('reader', (event) => runReaderJob(event as ReaderJob, { tempoStore, layout, resultStore }), { reservedConcurrency: 2 })
})
afterAll(async () => {
  await server?.stop()
})

async function resultLines(key: string): Promise<ResultLine[]> {
  const lines: ResultLine[] = []
  for await (const line of readResultLines(resultStore, key)) lines.push(line)
  return lines
}

describe('coordinators sharing a reader whose concurrency is used up', () => {
  it('two concurrent batches over a reader limited to 2 at once both complete, every ID found', { timeout: 60_000 }, async () => {
    // The client as the invoker builds it for the coordinator: no SDK retries, the coordinator decides.
    const invoker = new LambdaInvoker({ functionName: 'reader', clientConfig: { ...server.clientConfig, maxAttempts: 1 }, timeoutMs: 30_000 })
    const deps: CoordinatorDeps = { tempoStore, layout, resultStore, resultsPrefix: 'results', invoker, minBlocksPerShard: 1, maxReaders: 6, invokeConcurrency: 6, readerTimeoutMs: 30_000 }
    const idsA = tenant.traceIds.filter((_, i) => i % 2 === 0).slice(0, 40)
    const idsB = tenant.traceIds.filter((_, i) => i % 2 === 1).slice(0, 40)
    const [a, b] = await Promise.all([
      runBatch(parseBatchRequest({ tenant: 'busy', traceIds: idsA, requestId: 'batch-a' }), deps),
      runBatch(parseBatchRequest({ tenant: 'busy', traceIds: idsB, requestId: 'batch-b' }), deps),
    ])
    invoker.client.destroy()
    expect(server.throttled.get('reader')).toBeGreaterThan(0)
    for (const [outcome, ids] of [[a, idsA], [b, idsB]] as const) {
      expect(outcome.manifest.status).toBe('complete')
      expect(outcome.manifest.counts).toMatchObject({ requested: ids.length, found: ids.length, partial: 0 })
      expect(outcome.manifest.shards.every((shard) => shard.status === 'ok')).toBe(true)
      const lines = await resultLines(outcome.manifest.resultKey)
      expect(lines.map((l) => l.status)).toEqual(Array(ids.length).fill('found'))
    }
    const throttledShards = [...a.manifest.shards, ...b.manifest.shards].filter((shard) => (shard.throttled ?? 0) > 0)
    expect(throttledShards.length).toBeGreaterThan(0)
  })
})
