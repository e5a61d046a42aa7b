import { PutObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TaskOutput } from '../../functions/handlers/stepfunctions.js'
import type { CompareTaskOutput } from '../../functions/handlers/compare.js'
import { ChunkedIdsStates } from '../../infra/state-machines/chunked-ids.js'
import { TwoGroupsStates } from '../../infra/state-machines/two-groups.js'
import { ID_LIST_PREFIX, MAP_RESULT_PREFIX } from '../../infra/tempo-batch-fetcher.js'
import { lambdaContext, readGoldens, startHandlerEnvironment, type GoldenRecord, type HandlerEnvironment } from '../handlers/support/handler-env.js'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'
import { definitionOf } from './support/local-definitions.js'
import { emulateDistributedMap, type LocalS3 } from './support/local-distributed-map.js'
import { buildStateMachines, loadLocalStepFunctions } from './support/sample-machines.js'

sharedFixturesSkipNote('state machines')

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
    StateMachine = await loadLocalStepFunctions()
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

  it('chunked IDs: the Distributed Map reads the ID list from S3, runs one request per chunk, writes the chunk results to S3', async () => {
    const ids = [...present, ...absent].map((g) => g.traceId)
    const idsKey = `${ID_LIST_PREFIX}big-list.json`
    await env.fauxqs.s3.send(new PutObjectCommand({ Bucket: env.resultBucket, Key: idsKey, Body: JSON.stringify(ids) }))
    const store = env.fauxqs.openStore(env.resultBucket)
    const s3: LocalS3 = {
      getObject: async (bucket, key) => Buffer.from(await env.fauxqs.openStore(bucket).get(key)).toString('utf8'),
      putObject: (bucket, key, body) => env.fauxqs.openStore(bucket).put(key, Buffer.from(body)),
    }
    const local = emulateDistributedMap(definitionOf(machines.chunkedIds.stateMachine), ChunkedIdsStates.map, s3)
    const machine = new StateMachine(local.definition as never, { validationOptions: { checkArn: true, checkPaths: true } })
    const execution = machine.run({ tenant: 'single-tenant', idsKey }, {
      overrides: { taskResourceLocalHandlers: { ...local.handlers, [ChunkedIdsStates.fetchChunk]: sfnHandler } as never },
      context: { Execution: { Name: 'big-run-1', Input: {}, StartTime: new Date().toISOString() } } as never,
    })
    const output = (await execution.result) as unknown as { tenant: string; chunkResults: { bucket: string; manifestKey: string } }
    expect(output.tenant).toBe('single-tenant')
    expect(output.chunkResults.bucket).toBe(env.resultBucket)
    expect(output.chunkResults.manifestKey).toMatch(new RegExp(`^${MAP_RESULT_PREFIX}[^/]+/manifest\\.json$`))
    const manifest = JSON.parse(Buffer.from(await store.get(output.chunkResults.manifestKey)).toString('utf8')) as { ResultFiles: { SUCCEEDED: { Key: string }[] } }
    const chunks: TaskOutput[] = []
    for (const file of manifest.ResultFiles.SUCCEEDED) {
      const records = JSON.parse(Buffer.from(await store.get(file.Key)).toString('utf8')) as { Output: string }[]
      chunks.push(...records.map((record) => JSON.parse(record.Output) as TaskOutput))
    }
    expect(chunks).toHaveLength(3) // 10 IDs in chunks of 4
    expect(new Set(chunks.map((c) => c.requestId)).size).toBe(3)
    for (const chunk of chunks) {
      expect(chunk.requestId).toMatch(/^big-run-1-[0-9a-f]{16}$/)
      expect(chunk.manifest).toBeUndefined()
      const chunkManifest = JSON.parse(Buffer.from(await store.get(chunk.manifestKey)).toString('utf8')) as { requestId: string }
      expect(chunkManifest.requestId).toBe(chunk.requestId)
    }
    const total = chunks.reduce((sum, c) => ({ requested: sum.requested + c.counts.requested, found: sum.found + c.counts.found, notFound: sum.notFound + c.counts.not_found }), { requested: 0, found: 0, notFound: 0 })
    expect(total).toEqual({ requested: 10, found: 8, notFound: 2 })
  })
})
