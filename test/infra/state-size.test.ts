import { describe, expect, it } from 'vitest'
import { taskOutput } from '../../functions/handlers/stepfunctions.js'
import { ChunkedIdsStates } from '../../infra/state-machines/chunked-ids.js'
import { TwoGroupsStates } from '../../infra/state-machines/two-groups.js'
import { manifestWithShards } from '../handlers/support/manifests.js'
import { definitionOf } from './support/local-definitions.js'
import { emulateDistributedMap } from './support/local-distributed-map.js'
import { buildStateMachines, loadLocalStepFunctions } from './support/sample-machines.js'

/** Step Functions' limit on an execution's input and on every state's input and output (UTF-8 bytes). */
const STATE_LIMIT_BYTES = 256 * 1024

const hexId = (n: number) => n.toString(16).padStart(32, '0')
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value))

type Execution = { result: Promise<unknown>; eventLogs: AsyncGenerator<{ type: string; state?: { name: string; output?: unknown } }> }

/** Run to the end and return the output size of every state that exited, by state name (largest per name). */
async function stateOutputSizes(execution: Execution): Promise<Map<string, number>> {
  const sizes = new Map<string, number>()
  for await (const event of execution.eventLogs) {
    if (event.type === 'StateExited' && event.state) sizes.set(event.state.name, Math.max(sizes.get(event.state.name) ?? 0, bytes(event.state.output)))
  }
  await execution.result
  return sizes
}

describe('state sizes of the sample state machines at their largest', () => {
  it('two groups: the largest input and the largest task outputs keep every state under 256 KiB', async () => {
    const StateMachine = await loadLocalStepFunctions()
    const { twoGroups } = buildStateMachines('results-bucket')
    // The largest execution input (both ID lists), and the largest output the coordinator returns (the
    // manifest with as many shards as fit under MAX_TASK_OUTPUT_BYTES).
    const input = { tenant: 'team-a', groupA: Array.from({ length: 3700 }, (_, i) => hexId(i)), groupB: Array.from({ length: 3700 }, (_, i) => hexId(i + 10_000)) }
    expect(bytes(input)).toBeLessThan(STATE_LIMIT_BYTES)
    const coordinator = async (event: unknown) => {
      const { requestId } = event as { requestId: string }
      return taskOutput({ manifest: manifestWithShards(900, requestId), manifestKey: `results/${requestId}/manifest.json`, reused: false }, 's3://results', true) as unknown
    }
    const largest = await coordinator({ requestId: 'x' })
    expect(bytes(largest)).toBeGreaterThan(150 * 1024)
    // The compare step gets only the two result keys; it answers with locations and a few findings.
    const compared: unknown[] = []
    const comparer = async (event: unknown) => {
      compared.push(event)
      return { reportKey: 'results/team-a/big-compare/report.json', findings: 3 }
    }
    const machine = new StateMachine(definitionOf(twoGroups.stateMachine) as never)
    const execution = machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: { [TwoGroupsStates.groupA]: coordinator, [TwoGroupsStates.groupB]: coordinator, [TwoGroupsStates.compare]: comparer } as never },
      context: { Execution: { Name: 'big', Input: {}, StartTime: new Date().toISOString() } } as never,
    })
    const sizes = await stateOutputSizes(execution as unknown as Execution)
    expect([...sizes.keys()].sort()).toEqual(['CompareGroups', 'FetchBothGroups', 'FetchGroupA', 'FetchGroupB', 'HandOverResultLocations'])
    for (const [state, size] of sizes) expect(size, state).toBeLessThan(STATE_LIMIT_BYTES)
    expect(await execution.result).toEqual({
      tenant: 'team-a',
      groupA: { resultLocation: 's3://results/results/big-a/result.ndjson.gz', manifestKey: 'results/big-a/manifest.json', status: 'complete', counts: expect.any(Object) },
      groupB: { resultLocation: 's3://results/results/big-b/result.ndjson.gz', manifestKey: 'results/big-b/manifest.json', status: 'complete', counts: expect.any(Object) },
      comparison: { reportKey: 'results/team-a/big-compare/report.json', findings: 3 },
    })
    expect(compared).toEqual([expect.objectContaining({ groupA: { resultKey: 'results/big-a/result.ndjson.gz', label: 'A' }, groupB: { resultKey: 'results/big-b/result.ndjson.gz', label: 'B' } })])
  })

  it('chunked IDs: a thousand chunks leave the chunk results in S3 and a small state', async () => {
    const StateMachine = await loadLocalStepFunctions()
    const { chunkedIds } = buildStateMachines('results-bucket', 1)
    const objects = new Map<string, string>([['results-bucket/id-lists/ids.json', JSON.stringify(Array.from({ length: 1000 }, (_, i) => hexId(i)))]])
    const local = emulateDistributedMap(definitionOf(chunkedIds.stateMachine), ChunkedIdsStates.map, {
      getObject: async (bucket, key) => objects.get(`${bucket}/${key}`) ?? '',
      putObject: async (bucket, key, body) => void objects.set(`${bucket}/${key}`, body),
    })
    // What the coordinator returns for a Map chunk: a summary without the manifest (~400 bytes).
    const coordinator = async (event: unknown) => {
      const requestId = `run-${(event as { Items: string[] }).Items[0]}`
      return taskOutput({ manifest: manifestWithShards(1, requestId), manifestKey: `results/${requestId}/manifest.json`, reused: false }, 's3://results', false) as unknown
    }
    const machine = new StateMachine(local.definition as never)
    const execution = machine.run({ tenant: 'team-a', idsKey: 'id-lists/ids.json' }, {
      overrides: { taskResourceLocalHandlers: { ...local.handlers, [ChunkedIdsStates.fetchChunk]: coordinator } as never },
      context: { Execution: { Name: 'many', Input: {}, StartTime: new Date().toISOString() } } as never,
    })
    const sizes = await stateOutputSizes(execution as unknown as Execution)
    // The emulated Map gathers every chunk locally before the emulated writer stores them; a real Map with
    // a ResultWriter outputs only where they went. Every other state must stay small.
    sizes.delete(ChunkedIdsStates.map)
    for (const [state, size] of sizes) expect(size, state).toBeLessThan(STATE_LIMIT_BYTES)
    const output = (await execution.result) as { chunkResults?: { manifestKey: string } }
    expect(bytes(output)).toBeLessThan(1024)
    const manifest = JSON.parse(objects.get(`results-bucket/${output.chunkResults!.manifestKey}`)!) as { ResultFiles: { SUCCEEDED: { Key: string }[] } }
    const records = manifest.ResultFiles.SUCCEEDED.flatMap((file) => JSON.parse(objects.get(`results-bucket/${file.Key}`)!) as unknown[])
    expect(records).toHaveLength(1000)
  })
})
