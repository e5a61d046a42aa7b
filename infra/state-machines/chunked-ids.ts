import { Duration } from 'aws-cdk-lib'
import { STEPFUNCTIONS_USE_DISTRIBUTED_MAP_RESULT_WRITER_V2 } from 'aws-cdk-lib/cx-api'
import { PolicyStatement } from 'aws-cdk-lib/aws-iam'
import type { IBucket } from 'aws-cdk-lib/aws-s3'
import {
  DefinitionBody,
  DistributedMap,
  ItemBatcher,
  JsonPath,
  Pass,
  ResultWriterV2,
  S3JsonItemReader,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions'
import { Construct } from 'constructs'
import { coordinatorTask, executionLogs, type SampleStateMachineProps } from './common.js'

/** Names of the states the local runner binds to handlers. */
export const ChunkedIdsStates = { nameRequest: 'NameRequest', map: 'FetchChunks', fetchChunk: 'FetchChunk' } as const

/** Largest chunk (BatchInput and Items as JSON) handed to one coordinator: a state's input is capped at 256 KiB. */
export const MAX_CHUNK_INPUT_BYTES = 200 * 1024

/** Props of `ChunkedIdsStateMachine`. */
export interface ChunkedIdsProps extends SampleStateMachineProps {
  /** Bucket holding the ID lists (JSON arrays of hex IDs) and, under `mapResultPrefix`, the chunk results. */
  idListBucket: IBucket
  /** Key prefix the ID lists must live under; the state machine may read nothing else. */
  idListPrefix: string
  /** Key prefix (same bucket) the Map writes its chunk results under; the state machine may write nothing else. */
  mapResultPrefix: string
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

// The stock writer may write the whole bucket; ours only under its prefix.
class ChunkResultWriter extends ResultWriterV2 {
  constructor(private readonly resultBucket: IBucket, private readonly resultPrefix: string) {
    super({ bucket: resultBucket, prefix: resultPrefix.replace(/\/$/, '') })
  }

  override providePolicyStatements(): PolicyStatement[] {
    return [new PolicyStatement({
      actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
      resources: [this.resultBucket.arnForObjects(`${this.resultPrefix}*`)],
    })]
  }
}

/**
 * Sample pipeline for a very large ID list: a Distributed Map reads the JSON array of IDs from S3,
 * batches it into chunks (`{ BatchInput: { tenant, requestId }, Items: [...] }`) and runs one coordinator
 * request per chunk. The chunks' summaries go to S3 (a ResultWriter), not into the state, so the number of
 * chunks is not bounded by the 256 KiB state limit. Input: `{ tenant, idsKey }` with `idsKey` under the
 * ID-list prefix. Output: `{ tenant, chunkResults: { bucket, manifestKey } }`, the Map run's result
 * manifest, which lists the `SUCCEEDED_n.json` files holding each chunk's
 * `{ requestId, status, counts, resultLocation, manifestKey, ... }` as its `Output`.
 */
export class ChunkedIdsStateMachine extends Construct {
  readonly stateMachine: StateMachine

  constructor(scope: Construct, id: string, props: ChunkedIdsProps) {
    super(scope, id)
    // The V2 writer is behind a feature flag; set it for this construct only, not for the caller's app.
    this.node.setContext(STEPFUNCTIONS_USE_DISTRIBUTED_MAP_RESULT_WRITER_V2, true)
    const map = new DistributedMap(this, ChunkedIdsStates.map, {
      itemReader: new IdListReader(props.idListBucket, props.idListPrefix, JsonPath.stringAt('$.idsKey')),
      itemBatcher: new ItemBatcher({
        maxItemsPerBatch: props.chunkSize,
        maxInputBytesPerBatch: MAX_CHUNK_INPUT_BYTES,
        // Paths into the state input only; the execution name was put there by the Pass before.
        batchInput: { 'tenant.$': '$.tenant', 'requestId.$': '$.execution.name' },
      }),
      resultWriterV2: new ChunkResultWriter(props.idListBucket, props.mapResultPrefix),
      maxConcurrency: props.maxConcurrency,
      resultPath: '$.mapRun',
    })
    map.itemProcessor(coordinatorTask(this, ChunkedIdsStates.fetchChunk, props.coordinator))
    // The execution name becomes the parent requestId of every chunk (stable across retries and redrives).
    const nameRequest = new Pass(this, ChunkedIdsStates.nameRequest, {
      parameters: { name: JsonPath.executionName },
      resultPath: '$.execution',
    })
    const handOver = new Pass(this, 'HandOverChunkResults', {
      parameters: {
        tenant: JsonPath.stringAt('$.tenant'),
        chunkResults: { bucket: JsonPath.stringAt('$.mapRun.ResultWriterDetails.Bucket'), manifestKey: JsonPath.stringAt('$.mapRun.ResultWriterDetails.Key') },
      },
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
