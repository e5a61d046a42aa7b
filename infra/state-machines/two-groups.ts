import { Duration } from 'aws-cdk-lib'
import { DefinitionBody, JsonPath, Parallel, Pass, StateMachine, StateMachineType, TaskInput } from 'aws-cdk-lib/aws-stepfunctions'
import { Construct } from 'constructs'
import { coordinatorTask, executionLogs, type SampleStateMachineProps } from './common.js'

/** Names of the states the local runner binds to handlers. */
export const TwoGroupsStates = { groupA: 'FetchGroupA', groupB: 'FetchGroupB' } as const

/**
 * Sample analysis pipeline: fetch two groups of trace IDs of one tenant (say, slow and fast requests)
 * in parallel and pass the two result locations on to the next stage.
 * Input: `{ tenant, groupA: [hex...], groupB: [hex...] }`.
 * Output: `{ tenant, groupA: { resultLocation, manifestKey, status, counts }, groupB: {...} }`.
 */
export class TwoGroupsStateMachine extends Construct {
  readonly stateMachine: StateMachine

  constructor(scope: Construct, id: string, props: SampleStateMachineProps) {
    super(scope, id)
    const fetchGroup = (stateName: string, field: string, suffix: string) =>
      coordinatorTask(this, stateName, props.coordinator, TaskInput.fromObject({
        tenant: JsonPath.stringAt('$.tenant'),
        traceIds: JsonPath.listAt(`$.${field}`),
        // Deterministic per execution and group: a retried task reuses the finished result.
        requestId: JsonPath.format(`{}-${suffix}`, JsonPath.executionName),
      }))
    const fetchBoth = new Parallel(this, 'FetchBothGroups', { resultPath: '$.results' })
      .branch(fetchGroup(TwoGroupsStates.groupA, 'groupA', 'a'))
      .branch(fetchGroup(TwoGroupsStates.groupB, 'groupB', 'b'))
    const summary = (index: number) => ({
      resultLocation: JsonPath.stringAt(`$.results[${index}].resultLocation`),
      manifestKey: JsonPath.stringAt(`$.results[${index}].manifestKey`),
      status: JsonPath.stringAt(`$.results[${index}].status`),
      counts: JsonPath.objectAt(`$.results[${index}].counts`),
    })
    // The hand-over to the analysis stage: replace this Pass with the real consumer.
    const handOver = new Pass(this, 'HandOverResultLocations', {
      parameters: { tenant: JsonPath.stringAt('$.tenant'), groupA: summary(0), groupB: summary(1) },
    })
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(fetchBoth.next(handOver)),
      timeout: Duration.hours(1),
      tracingEnabled: true,
      logs: executionLogs(this, 'Logs', props.logRetention),
    })
  }
}
