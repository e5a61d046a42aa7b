import { Duration } from 'aws-cdk-lib'
import type { IGrantable } from 'aws-cdk-lib/aws-iam'
import type { IKey } from 'aws-cdk-lib/aws-kms'
import { RetentionDays } from 'aws-cdk-lib/aws-logs'
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import { EnvNames } from '../functions/config/env.js'
import { grantReaderInvoke, grantResultPartsWrite, grantResultsReadWrite, grantTempoRead, normalisePrefix, type TempoScope } from './access.js'
import { BatchApi, type ApiLogging } from './batch-api.js'
import { HandlerEntries, TempoBatchFunction } from './lambda-defaults.js'
import { RequestQueue } from './request-queue.js'
import { ChunkedIdsStateMachine } from './state-machines/chunked-ids.js'
import { TwoGroupsStateMachine } from './state-machines/two-groups.js'

/** Props of `TempoBatchFetcher`; everything but the Tempo bucket has a default. */
export interface TempoBatchFetcherProps {
  /** The bucket Tempo writes to (import it with `Bucket.fromBucketName`). */
  tempoBucket: IBucket
  /** Tempo's backend prefix inside the bucket. Default: none. */
  tempoPrefix?: string
  /** The KMS key of an SSE-KMS Tempo bucket: readers and coordinators get kms:Decrypt on it. Default: none (SSE-S3). */
  tempoBucketKey?: IKey
  /** Tenants this deployment may read; IAM is scoped to their prefixes. Default: every tenant. */
  allowedTenants?: string[]
  /** Where results go. Default: a new encrypted, TLS-only, private bucket whose objects expire. */
  resultBucket?: IBucket
  /** Results prefix. Default `results`. */
  resultPrefix?: string
  /** Expiry of results in the created bucket. Default 7 days. */
  resultExpiration?: Duration
  /**
   * The reader function. Its memory is bounded by `blockConcurrency` blocks in flight, each holding up to
   * two `fetchRoundBytes` rounds of compressed pages and a `readWindowBytes` window decoded, plus the traces
   * of `idsPerChunk` IDs: lower them for small `memorySize`s (defaults 4, 16 MiB, 2 MiB, 1,000).
   */
  reader?: {
    memorySize?: number
    timeout?: Duration
    /** Reader instances the deployment plans for (default 50): the coordinators' fan-out is sized to share it. */
    maxConcurrency?: number
    /**
     * Also reserve `maxConcurrency` for the reader (a hard cap, and capacity no other function can take).
     * Default false: reserving needs that much unreserved account concurrency beyond the 100 Lambda keeps
     * free, which new accounts do not have.
     */
    reserveConcurrency?: boolean
    blockConcurrency?: number
    idsPerChunk?: number
    readWindowBytes?: number
    fetchRoundBytes?: number
  }
  coordinator?: {
    memorySize?: number
    /** Timeout of the SQS and Step Functions coordinators (the API one is bound by API Gateway's 29 s). */
    timeout?: Duration
    maxIds?: number
    maxReaders?: number
    invokeConcurrency?: number
    /** Tempo's per-tenant `max_bytes_per_trace` overrides. */
    tenantMaxBytesPerTrace?: Record<string, number>
  }
  api?: {
    throttlingRateLimit?: number
    throttlingBurstLimit?: number
    maxRequestBytes?: number
    inlineResultMaxBytes?: number
    presignExpirySeconds?: number
    /** API Gateway's own CloudWatch logs, which need the account's API Gateway role (see `ApiLogging`). Default `off`. */
    logging?: ApiLogging
  }
  /** The compare step of the two-groups machine (it holds one number per trace and measure: 2 x 1,000 traces fit in 1 GB). */
  compare?: { memorySize?: number; timeout?: Duration }
  /** IDs per chunk in the Distributed Map sample. Default 5,000. */
  chunkSize?: number
  logRetention?: RetentionDays
}

/** Key prefix (in the result bucket) under which the chunked state machine reads ID lists. */
export const ID_LIST_PREFIX = 'id-lists/'

/** Key prefix (in the result bucket) under which the chunked state machine's Map writes its chunk results. */
export const MAP_RESULT_PREFIX = 'map-results/'

/**
 * tempo-batch on AWS: a reader function whose concurrency the coordinators share, three thin
 * coordinator entry points (API Gateway, SQS with completions on SNS, Step Functions) and a result bucket.
 */
export class TempoBatchFetcher extends Construct {
  readonly resultBucket: IBucket
  readonly reader: TempoBatchFunction
  readonly apiCoordinator: TempoBatchFunction
  readonly sqsCoordinator: TempoBatchFunction
  readonly stepFunctionsCoordinator: TempoBatchFunction
  readonly comparer: TempoBatchFunction
  readonly api: BatchApi
  readonly requests: RequestQueue
  readonly twoGroups: TwoGroupsStateMachine
  readonly chunkedIds: ChunkedIdsStateMachine

  constructor(scope: Construct, id: string, props: TempoBatchFetcherProps) {
    super(scope, id)
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH
    const resultPrefix = normalisePrefix(props.resultPrefix ?? 'results').replace(/\/$/, '')
    const tempo: TempoScope = {
      bucket: props.tempoBucket,
      prefix: props.tempoPrefix ?? '',
      ...(props.allowedTenants ? { tenants: props.allowedTenants } : {}),
      ...(props.tempoBucketKey ? { key: props.tempoBucketKey } : {}),
    }
    this.resultBucket = props.resultBucket ?? new Bucket(this, 'Results', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      lifecycleRules: [{ id: 'ExpireResults', expiration: props.resultExpiration ?? Duration.days(7), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    })
    const results = { bucket: this.resultBucket, prefix: resultPrefix }

    const readerTimeout = props.reader?.timeout ?? Duration.minutes(5)
    this.reader = new TempoBatchFunction(this, 'Reader', {
      entry: HandlerEntries.reader,
      description: 'tempo-batch reader: finds trace IDs in a range of Tempo blocks, writes a partial result',
      serviceName: 'tempo-batch-reader',
      memorySize: props.reader?.memorySize ?? 2048,
      timeout: readerTimeout,
      logRetention,
      ...(props.reader?.reserveConcurrency === true ? { reservedConcurrentExecutions: props.reader.maxConcurrency ?? 50 } : {}),
      environment: readerEnvironment(props.reader),
    })
    grantTempoRead(this.reader, tempo)
    grantResultPartsWrite(this.reader, results)

    const coordinatorEnv = coordinatorEnvironment(props, readerTimeout)
    const coordinator = (fnId: string, entry: string, serviceName: string, timeout: Duration, extra: Record<string, string> = {}) => {
      const fn = new TempoBatchFunction(this, fnId, {
        entry,
        description: `tempo-batch coordinator (${serviceName}): plans a batch, fans out to readers, merges`,
        serviceName,
        memorySize: props.coordinator?.memorySize ?? 1024,
        timeout,
        logRetention,
        environment: { ...coordinatorEnv, ...extra },
      })
      grantTempoRead(fn, tempo)
      grantResultsReadWrite(fn, results)
      grantReaderInvoke(fn, this.reader)
      return fn
    }
    const longTimeout = props.coordinator?.timeout ?? Duration.minutes(15)
    this.apiCoordinator = coordinator('ApiCoordinator', HandlerEntries.api, 'tempo-batch-api', Duration.seconds(29), {
      [EnvNames.maxRequestBytes]: String(props.api?.maxRequestBytes ?? 1_048_576),
      [EnvNames.inlineResultMaxBytes]: String(props.api?.inlineResultMaxBytes ?? 1_000_000),
      [EnvNames.presignExpirySeconds]: String(props.api?.presignExpirySeconds ?? 900),
      // API Gateway cuts the request at 29 s and the coordinator retries a shard once: both attempts must fit.
      [EnvNames.readerTimeoutMs]: '12000',
    })
    this.sqsCoordinator = coordinator('SqsCoordinator', HandlerEntries.sqs, 'tempo-batch-sqs', longTimeout)
    this.stepFunctionsCoordinator = coordinator('StepFunctionsCoordinator', HandlerEntries.stepFunctions, 'tempo-batch-sfn', longTimeout)

    this.api = new BatchApi(this, 'Api', {
      handler: this.apiCoordinator,
      maxIds: props.coordinator?.maxIds ?? 10_000,
      throttlingRateLimit: props.api?.throttlingRateLimit ?? 5,
      throttlingBurstLimit: props.api?.throttlingBurstLimit ?? 10,
      logRetention,
      logging: props.api?.logging ?? 'off',
    })
    this.requests = new RequestQueue(this, 'Requests', { handler: this.sqsCoordinator, handlerTimeout: longTimeout, batchSize: 1, maxConcurrency: 5 })
    this.comparer = new TempoBatchFunction(this, 'Comparer', {
      entry: HandlerEntries.compare,
      description: 'tempo-batch compare: compares two fetched results, writes report.json and report.html',
      serviceName: 'tempo-batch-compare',
      memorySize: props.compare?.memorySize ?? 1024,
      timeout: props.compare?.timeout ?? Duration.minutes(5),
      logRetention,
    })
    grantResultsReadWrite(this.comparer, results)
    this.twoGroups = new TwoGroupsStateMachine(this, 'TwoGroups', { coordinator: this.stepFunctionsCoordinator, compare: this.comparer, logRetention })
    this.chunkedIds = new ChunkedIdsStateMachine(this, 'ChunkedIds', {
      coordinator: this.stepFunctionsCoordinator,
      logRetention,
      idListBucket: this.resultBucket,
      idListPrefix: ID_LIST_PREFIX,
      mapResultPrefix: MAP_RESULT_PREFIX,
      chunkSize: props.chunkSize ?? 5000,
      maxConcurrency: 10,
    })
  }

  /** Let `grantee` use every entry point: invoke POST /v1/batch, send to the request queue, start both state machines. */
  grantSubmit(grantee: IGrantable): void {
    this.api.api.methods.forEach((method) => method.grantExecute(grantee))
    this.requests.queue.grantSendMessages(grantee)
    this.twoGroups.stateMachine.grantStartExecution(grantee)
    this.chunkedIds.stateMachine.grantStartExecution(grantee)
  }
}

function coordinatorEnvironment(props: TempoBatchFetcherProps, readerTimeout: Duration): Record<string, string> {
  const env: Record<string, string> = {
    // A reader that outlives its own Lambda timeout is gone; wait a little longer than that, not forever.
    [EnvNames.readerTimeoutMs]: String(readerTimeout.toMilliseconds() + 5_000),
  }
  const c = props.coordinator
  if (c?.maxIds !== undefined) env[EnvNames.maxIds] = String(c.maxIds)
  if (c?.maxReaders !== undefined) env[EnvNames.maxReaders] = String(c.maxReaders)
  if (c?.invokeConcurrency !== undefined) env[EnvNames.invokeConcurrency] = String(c.invokeConcurrency)
  if (c?.tenantMaxBytesPerTrace !== undefined) env[EnvNames.tenantMaxBytesPerTrace] = JSON.stringify(c.tenantMaxBytesPerTrace)
  return env
}

/** The reader's optional tuning, as the environment `readReaderConfig` reads. */
function readerEnvironment(reader: TempoBatchFetcherProps['reader']): Record<string, string> {
  const env: Record<string, string> = {}
  const knobs = { blockConcurrency: EnvNames.blockConcurrency, idsPerChunk: EnvNames.idsPerChunk, readWindowBytes: EnvNames.readWindowBytes, fetchRoundBytes: EnvNames.fetchRoundBytes } as const
  for (const [prop, name] of Object.entries(knobs) as [keyof typeof knobs, string][]) {
    const value = reader?.[prop]
    if (value !== undefined) env[name] = String(value)
  }
  return env
}
