import { PutObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TaskOutput } from '../../functions/handlers/stepfunctions.js'
import type { CompareTaskOutput } from '../../functions/handlers/compare.js'
import { App, Stack } from 'aws-cdk-lib'
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda'
import { RetentionDays } from 'aws-cdk-lib/aws-logs'
import { Bucket } from 'aws-cdk-lib/aws-s3'
import { ChunkedIdsStateMachine, ChunkedIdsStates } from '../../infra/state-machines/chunked-ids.js'
import { TwoGroupsStateMachine, TwoGroupsStates } from '../../infra/state-machines/two-groups.js'
import { ID_LIST_PREFIX } from '../../infra/tempo-batch-fetcher.js'
import { lambdaContext, readGoldens, startHandlerEnvironment, type GoldenRecord, type HandlerEnvironment } from '../handlers/support/handler-env.js'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'
import { EMULATED_READER_STATE, definitionOf, emulateItemReaderAndBatcher } from './support/local-definitions.js'

/**
 * The two sample state machines exactly as `TempoBatchFetcher` builds them, in a stack of their own
 * (the full stack's template is tested in stack.test.ts; building it again here would only cost time).
 */
function buildStateMachines(resultBucket: string): { twoGroups: TwoGroupsStateMachine; chunkedIds: ChunkedIdsStateMachine } {
  const stack = new Stack(new App(), 'StateMachines', { env: { account: '123456789012', region: 'us-east-1' } })
  const coordinator = LambdaFunction.fromFunctionArn(stack, 'Coordinator', 'arn:aws:lambda:us-east-1:123456789012:function:tempo-batch-sfn')
  const compare = LambdaFunction.fromFunctionArn(stack, 'Comparer', 'arn:aws:lambda:us-east-1:123456789012:function:tempo-batch-compare')
  const twoGroups = new TwoGroupsStateMachine(stack, 'TwoGroups', { coordinator, compare, logRetention: RetentionDays.ONE_DAY })
  const chunkedIds = new ChunkedIdsStateMachine(stack, 'ChunkedIds', {
    coordinator,
    logRetention: RetentionDays.ONE_DAY,
    idListBucket: Bucket.fromBucketName(stack, 'Results', resultBucket),
    idListPrefix: ID_LIST_PREFIX,
    chunkSize: 4,
    maxConcurrency: 10,
  })
  return { twoGroups, chunkedIds }
}

sharedFixturesSkipNote('state machines')

// aws-local-stepfunctions 3.0.0 uses Promise.withResolvers (Node 22); give Node 20 one before loading it.
function polyfillWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: () => unknown }
  P.withResolvers ??= function withResolvers<T>() {
    let resolve!: (value: T) => void
    let reject!: (reason?: unknown) => void
    const promise = new Promise<T>((res, rej) => {
      resolve = res
      reject = rej
    })
    return { promise, resolve, reject }
  }
}

type LocalStateMachine = typeof import('aws-local-stepfunctions').StateMachine

describe.skipIf(!hasSharedFixtures)('sample state machines, synthesized by CDK, run locally with the real handlers', () => {
  let machines: ReturnType<typeof buildStateMachines>
  let env: HandlerEnvironment
  let StateMachine: LocalStateMachine
  let sfnHandler: (event: unknown) => Promise<TaskOutput>
  let compareHandler: (event: unknown) => Promise<CompareTaskOutput>
  let present: GoldenRecord[]
  let absent: GoldenRecord[]

  beforeAll(async () => {
    // Logs and metrics are asserted in the handler tests; here concurrent tasks would only interleave them.
    env = await startHandlerEnvironment({ POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' })
    machines = buildStateMachines(env.resultBucket)
    polyfillWithResolvers()
    StateMachine = (await import('aws-local-stepfunctions')).StateMachine
    const sfn = await import('../../functions/handlers/stepfunctions.js')
    sfnHandler = (event) => sfn.handler(event, lambdaContext('sfn'))
    const compare = await import('../../functions/handlers/compare.js')
    compareHandler = (event) => compare.handler(event, lambdaContext('compare'))
    const goldens = readGoldens('single-tenant').filter((g) => g.start === 0 && g.end === 0 && g.v2.status === undefined)
    present = goldens.filter((g) => g.category !== 'absent' && g.blocks.length > 0).slice(0, 8)
    absent = goldens.filter((g) => g.category === 'absent').slice(0, 2)
  })

  afterAll(async () => {
    await env?.stop()
  })

  it('two groups: fetches both groups in parallel, compares them and passes the result and report locations on', async () => {
    const definition = definitionOf(machines.twoGroups.stateMachine)
    const machine = new StateMachine(definition as never, { validationOptions: { checkArn: true, checkPaths: true } })
    const groupA = present.slice(0, 3).map((g) => g.traceId)
    const groupB = [...present.slice(3, 5).map((g) => g.traceId), absent[0]!.traceId]
    const execution = machine.run({ tenant: 'single-tenant', groupA, groupB }, {
      overrides: { taskResourceLocalHandlers: { [TwoGroupsStates.groupA]: sfnHandler, [TwoGroupsStates.groupB]: sfnHandler, [TwoGroupsStates.compare]: compareHandler } as never },
      context: { Execution: { Name: 'analysis-run-1', Input: {}, StartTime: new Date().toISOString() } } as never,
    })
    const output = (await execution.result) as unknown as { tenant: string; groupA: Record<string, unknown>; groupB: Record<string, unknown>; comparison: CompareTaskOutput }
    expect(output.comparison).toMatchObject({
      reportKey: 'results/single-tenant/analysis-run-1-compare/report.json',
      reportLocation: `s3://${env.resultBucket}/results/single-tenant/analysis-run-1-compare/report.json`,
      htmlKey: 'results/single-tenant/analysis-run-1-compare/report.html',
      spansParquetKeys: { a: 'results/single-tenant/analysis-run-1-a/run-1/spans.parquet', b: 'results/single-tenant/analysis-run-1-b/run-1/spans.parquet' },
    })
    expect(output.comparison.tests).toBeGreaterThan(0)
    const { comparison, ...fetched } = output
    const stored = JSON.parse(Buffer.from(await env.fauxqs.openStore(env.resultBucket).get(comparison.reportKey)).toString('utf8')) as { groups: { a: { traces: number }; b: { traces: number; lines: Record<string, number> } } }
    expect(stored.groups.a.traces).toBe(3)
    expect(stored.groups.b).toMatchObject({ traces: 2, lines: { found: 2, not_found: 1 } })
    const parquet = await env.fauxqs.openStore(env.resultBucket).get(comparison.spansParquetKeys!.a)
    expect(Buffer.from(parquet.subarray(0, 4)).toString('latin1')).toBe('PAR1')
    expect(Buffer.byteLength(JSON.stringify(output))).toBeLessThan(8 * 1024)
    expect(fetched).toEqual({
      tenant: 'single-tenant',
      groupA: {
        resultLocation: `s3://${env.resultBucket}/results/single-tenant/analysis-run-1-a/run-1/result.ndjson.gz`,
        manifestKey: 'results/single-tenant/analysis-run-1-a/manifest.json',
        status: 'complete',
        counts: { requested: 3, found: 3, not_found: 0, partial: 0, too_large: 0 },
      },
      groupB: {
        resultLocation: `s3://${env.resultBucket}/results/single-tenant/analysis-run-1-b/run-1/result.ndjson.gz`,
        manifestKey: 'results/single-tenant/analysis-run-1-b/manifest.json',
        status: 'complete',
        counts: { requested: 3, found: 2, not_found: 1, partial: 0, too_large: 0 },
      },
    })
    const store = env.fauxqs.openStore(env.resultBucket)
    for (const key of [output.groupA.manifestKey, output.groupB.manifestKey]) {
      const manifest = JSON.parse(Buffer.from(await store.get(String(key))).toString('utf8')) as { tenant: string }
      expect(manifest.tenant).toBe('single-tenant')
    }
  })

  it('chunked IDs: the Distributed Map reads the ID list from S3, runs one request per chunk, all manifests written', async () => {
    const ids = [...present, ...absent].map((g) => g.traceId)
    const idsKey = `${ID_LIST_PREFIX}big-list.json`
    await env.fauxqs.s3.send(new PutObjectCommand({ Bucket: env.resultBucket, Key: idsKey, Body: JSON.stringify(ids) }))
    const local = emulateItemReaderAndBatcher(definitionOf(machines.chunkedIds.stateMachine), ChunkedIdsStates.map, async (bucket, key) =>
      Buffer.from(await env.fauxqs.openStore(bucket).get(key)).toString('utf8'))
    const machine = new StateMachine(local.definition as never, { validationOptions: { checkArn: true, checkPaths: true } })
    const execution = machine.run({ tenant: 'single-tenant', idsKey }, {
      overrides: { taskResourceLocalHandlers: { [EMULATED_READER_STATE]: local.handler, [ChunkedIdsStates.fetchChunk]: sfnHandler } as never },
      context: { Execution: { Name: 'big-run-1', Input: {}, StartTime: new Date().toISOString() } } as never,
    })
    const output = (await execution.result) as unknown as { tenant: string; chunks: TaskOutput[] }
    expect(output.tenant).toBe('single-tenant')
    expect(output.chunks).toHaveLength(3) // 10 IDs in chunks of 4
    expect(new Set(output.chunks.map((c) => c.requestId)).size).toBe(3)
    for (const chunk of output.chunks) {
      expect(chunk.requestId).toMatch(/^big-run-1-[0-9a-f]{16}$/)
      expect(chunk.manifest).toBeUndefined()
      const manifest = JSON.parse(Buffer.from(await env.fauxqs.openStore(env.resultBucket).get(chunk.manifestKey)).toString('utf8')) as { requestId: string }
      expect(manifest.requestId).toBe(chunk.requestId)
    }
    const total = output.chunks.reduce((sum, c) => ({ requested: sum.requested + c.counts.requested, found: sum.found + c.counts.found, notFound: sum.notFound + c.counts.not_found }), { requested: 0, found: 0, notFound: 0 })
    expect(total).toEqual({ requested: 10, found: 8, notFound: 2 })
    expect(Buffer.byteLength(JSON.stringify(output))).toBeLessThan(256 * 1024)
  })
})
