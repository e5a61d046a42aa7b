import { Duration } from 'aws-cdk-lib'
import { PolicyStatement } from 'aws-cdk-lib/aws-iam'
import type { IBucket } from 'aws-cdk-lib/aws-s3'
import {
  DefinitionBody,
  DistributedMap,
  ItemBatcher,
  JsonPath,
  Pass,
  S3JsonItemReader,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions'
import { Construct } from 'constructs'
import { coordinatorTask, executionLogs, type SampleStateMachineProps } from './common.js'

/** Names of the states the local runner binds to handlers. */
export const ChunkedIdsStates = { nameRequest: 'NameRequest', map: 'FetchChunks', fetchChunk: 'FetchChunk' } as const

/** Props of `ChunkedIdsStateMachine`. */
export interface ChunkedIdsProps extends SampleStateMachineProps {
  /** Bucket holding the ID lists (JSON arrays of hex IDs). */
  idListBucket: IBucket
  /** Key prefix the ID lists must live under; the state machine may read nothing else. */
  idListPrefix: string
  /** IDs per chunk, i.e. per coordinator request (at most the coordinator's ID limit). */
  chunkSize: number
  /** Chunks fetched at the same time. */
  maxConcurrency: number
}

// The stock reader grants GetObject on the whole bucket; ours narrows it to the ID-list prefix.
class IdListReader extends S3JsonItemReader {
  constructor(private readonly listBucket: IBucket, private readonly listPrefix: string, key: string) {
    super({ bucket: listBucket, key })
  }

  override providePolicyStatements(): PolicyStatement[] {
    return [new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.listBucket.arnForObjects(`${this.listPrefix}*`)] })]
  }
}

/**
 * Sample pipeline for a very large ID list: a Distributed Map reads the JSON array of IDs from S3,
 * batches it into chunks (`{ BatchInput: { tenant, requestId }, Items: [...] }`) and runs one coordinator
 * request per chunk. Input: `{ tenant, idsKey }` with `idsKey` under the ID-list prefix.
 * Output: `{ tenant, chunks: [{ requestId, status, counts, resultLocation, manifestKey }, ...] }`.
 */
export class ChunkedIdsStateMachine extends Construct {
  readonly stateMachine: StateMachine

  constructor(scope: Construct, id: string, props: ChunkedIdsProps) {
    super(scope, id)
    const map = new DistributedMap(this, ChunkedIdsStates.map, {
      itemReader: new IdListReader(props.idListBucket, props.idListPrefix, JsonPath.stringAt('$.idsKey')),
      itemBatcher: new ItemBatcher({
        maxItemsPerBatch: props.chunkSize,
        // Paths into the state input only; the execution name was put there by the Pass before.
        batchInput: { 'tenant.$': '$.tenant', 'requestId.$': '$.execution.name' },
      }),
      maxConcurrency: props.maxConcurrency,
      resultPath: '$.chunks',
    })
    map.itemProcessor(coordinatorTask(this, ChunkedIdsStates.fetchChunk, props.coordinator))
    // The execution name becomes the parent requestId of every chunk (stable across retries and redrives).
    const nameRequest = new Pass(this, ChunkedIdsStates.nameRequest, {
      parameters: { name: JsonPath.executionName },
      resultPath: '$.execution',
    })
    const handOver = new Pass(this, 'HandOverChunkResults', {
      parameters: { tenant: JsonPath.stringAt('$.tenant'), chunks: JsonPath.listAt('$.chunks') },
    })
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(nameRequest.next(map).next(handOver)),
      timeout: Duration.hours(6),
      tracingEnabled: true,
      logs: executionLogs(this, 'Logs', props.logRetention),
    })
  }
}
