import { Duration } from 'aws-cdk-lib'
import { DefinitionBody, JsonPath, Parallel, Pass, StateMachine, StateMachineType, TaskInput } from 'aws-cdk-lib/aws-stepfunctions'
import type { IFunction } from 'aws-cdk-lib/aws-lambda'
import { Construct } from 'constructs'
import { coordinatorTask, executionLogs, type SampleStateMachineProps } from './common.js'

/** Names of the states the local runner binds to handlers. */
export const TwoGroupsStates = { groupA: 'FetchGroupA', groupB: 'FetchGroupB', compare: 'CompareGroups' } as const

/** Props of the two-groups machine: the coordinator and the compare function (`functions/handlers/compare.ts`). */
export interface TwoGroupsProps extends SampleStateMachineProps {
  compare: IFunction
}

/**
 * Sample analysis pipeline: fetch two groups of trace IDs of one tenant (say, failed and successful
 * requests) in parallel, compare them (the report lands in the result bucket) and pass the result and
 * report locations on to the next stage (each group's spans also land as `spans.parquet` beside its
 * result). Only locations and counts travel through the state.
 * Input: `{ tenant, groupA: [hex...], groupB: [hex...] }`.
 * Output: `{ tenant, groupA: { resultLocation, manifestKey, status, counts }, groupB: {...},
 * comparison: { reportKey, reportLocation, htmlKey, htmlLocation, tests, findings, topFindings, spansParquetKeys } }`.
 */
export class TwoGroupsStateMachine extends Construct {
  readonly stateMachine: StateMachine

  constructor(scope: Construct, id: string, props: TwoGroupsProps) {
    super(scope, id)
    // Each task keeps only where its result is and how it went: a task's output (up to 256 KiB with the
    // manifest) must not land in the state, which Step Functions caps at 256 KiB with an uncatchable error.
    const fetchGroup = (stateName: string, field: string, suffix: string) =>
      coordinatorTask(this, stateName, props.coordinator, TaskInput.fromObject({
        tenant: JsonPath.stringAt('$.tenant'),
        traceIds: JsonPath.listAt(`$.${field}`),
        // Deterministic per execution and group: a retried task reuses the finished result.
        requestId: JsonPath.format(`{}-${suffix}`, JsonPath.executionName),
      }), {
        resultSelector: {
          tenant: JsonPath.stringAt('$.tenant'),
          resultKey: JsonPath.stringAt('$.resultKey'),
          resultLocation: JsonPath.stringAt('$.resultLocation'),
          manifestKey: JsonPath.stringAt('$.manifestKey'),
          status: JsonPath.stringAt('$.status'),
          counts: JsonPath.objectAt('$.counts'),
        },
      })
    // The branches' summaries replace the state (no resultPath): the two ID lists leave it here.
    const fetchBoth = new Parallel(this, 'FetchBothGroups', {
      resultSelector: { tenant: JsonPath.stringAt('$[0].tenant'), groupA: JsonPath.objectAt('$[0]'), groupB: JsonPath.objectAt('$[1]') },
    })
      .branch(fetchGroup(TwoGroupsStates.groupA, 'groupA', 'a'))
      .branch(fetchGroup(TwoGroupsStates.groupB, 'groupB', 'b'))
    const summary = (group: string) => ({
      resultLocation: JsonPath.stringAt(`$.${group}.resultLocation`),
      manifestKey: JsonPath.stringAt(`$.${group}.manifestKey`),
      status: JsonPath.stringAt(`$.${group}.status`),
      counts: JsonPath.objectAt(`$.${group}.counts`),
    })
    const compare = coordinatorTask(this, TwoGroupsStates.compare, props.compare, TaskInput.fromObject({
      tenant: JsonPath.stringAt('$.tenant'),
      groupA: { resultKey: JsonPath.stringAt('$.groupA.resultKey'), label: 'A' },
      groupB: { resultKey: JsonPath.stringAt('$.groupB.resultKey'), label: 'B' },
      reportId: JsonPath.format('{}-compare', JsonPath.executionName),
      spansParquet: true,
    }), { resultPath: '$.comparison' })
    // The hand-over to the analysis stage: replace this Pass with the real consumer.
    const handOver = new Pass(this, 'HandOverResultLocations', {
      parameters: { tenant: JsonPath.stringAt('$.tenant'), groupA: summary('groupA'), groupB: summary('groupB'), comparison: JsonPath.objectAt('$.comparison') },
    })
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(fetchBoth.next(compare).next(handOver)),
      timeout: Duration.hours(1),
      tracingEnabled: true,
      logs: executionLogs(this, 'Logs', props.logRetention),
    })
  }
}
