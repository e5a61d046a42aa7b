import { Annotations, Duration } from 'aws-cdk-lib'
import type { IGrantable } from 'aws-cdk-lib/aws-iam'
import type { IKey } from 'aws-cdk-lib/aws-kms'
import { RetentionDays } from 'aws-cdk-lib/aws-logs'
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import { BATCH_API_DEFAULTS } from '../functions/core/contract/batch-api.js'
import { EnvNames } from '../functions/config/env.js'
import { grantReaderInvoke, grantRequestHandOver, grantResultPartsWrite, grantResultsReadWrite, grantTempoRead, normalisePrefix, type TempoScope } from './access.js'
import { BatchApi, type ApiLogging } from './batch-api.js'
import { HandlerEntries, TempoBatchFunction } from './lambda-defaults.js'
import { readerBudget, type ReaderBudget } from './reader-budget.js'
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
    /**
     * Reader instances the deployment plans for (default 100): every coordinator that may run at once gets
     * an equal share as its fan-out (see `readerBudget`). Raise it (and the account's concurrency) for
     * faster batches; lower the entry points' concurrency for larger shares.
     */
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
    /** Shards per request. Default: the coordinator's share of the reader's concurrency. */
    maxReaders?: number
    /** Readers in flight per request. Default: the coordinator's share of the reader's concurrency. */
    invokeConcurrency?: number
    /** Tempo's per-tenant `max_bytes_per_trace` overrides. */
    tenantMaxBytesPerTrace?: Record<string, number>
  }
  api?: {
    /** Requests per second (default 2). */
    throttlingRateLimit?: number
    /** Requests at once (default 4); each may hold a coordinator for 29 s, so each gets a share of the readers. */
    throttlingBurstLimit?: number
    maxRequestBytes?: number
    inlineResultMaxBytes?: number
    presignExpirySeconds?: number
    /** API Gateway's own CloudWatch logs, which need the account's API Gateway role (see `ApiLogging`). Default `off`. */
    logging?: ApiLogging
  }
  /** The compare step of the two-groups machine (it holds one number per trace and measure: 2 x 1,000 traces fit in 1 GB). */
  compare?: { memorySize?: number; timeout?: Duration }
  /** SQS coordinator invocations at once (the event source's maximum concurrency, at least 2). Default 2. */
  requestQueueConcurrency?: number
  /** IDs per chunk in the Distributed Map sample. Default 5,000. */
  chunkSize?: number
  /** Chunks the Distributed Map sample fetches at once. Default 4. */
  chunkConcurrency?: number
  logRetention?: RetentionDays
}

/** Key prefix (in the result bucket) under which the chunked state machine reads ID lists. */
export const ID_LIST_PREFIX = 'id-lists/'

/** Key prefix (in the result bucket) under which the chunked state machine's Map writes its chunk results. */
export const MAP_RESULT_PREFIX = 'map-results/'

/**
 * tempo-batch on AWS: a reader function whose concurrency the coordinators share (`readerBudget`), three thin
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
  /** How the coordinators share the reader's concurrency. */
  readonly readerBudget: ReaderBudget

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

    const readerConcurrency = props.reader?.maxConcurrency ?? 100
    const api = { rate: props.api?.throttlingRateLimit ?? 2, burst: props.api?.throttlingBurstLimit ?? 4 }
    const requestQueueConcurrency = props.requestQueueConcurrency ?? 2
    const chunkConcurrency = props.chunkConcurrency ?? 4
    // One two-groups execution runs two coordinator tasks at once.
    this.readerBudget = readerBudget(readerConcurrency, { api: api.burst, sqs: requestQueueConcurrency, stepFunctions: chunkConcurrency + 2 })

    const readerTimeout = props.reader?.timeout ?? Duration.minutes(5)
    this.reader = new TempoBatchFunction(this, 'Reader', {
      entry: HandlerEntries.reader,
      description: 'tempo-batch reader: finds trace IDs in a range of Tempo blocks, writes a partial result',
      serviceName: 'tempo-batch-reader',
      memorySize: props.reader?.memorySize ?? 2048,
      timeout: readerTimeout,
      logRetention,
      ...(props.reader?.reserveConcurrency === true ? { reservedConcurrentExecutions: readerConcurrency } : {}),
      environment: readerEnvironment(props.reader),
    })
    grantTempoRead(this.reader, tempo)
    grantResultPartsWrite(this.reader, results)

    const coordinatorEnv = coordinatorEnvironment(props, readerTimeout, this.readerBudget)
    const invokeConcurrency = Number(coordinatorEnv[EnvNames.invokeConcurrency])
    if (invokeConcurrency * this.readerBudget.coordinators > readerConcurrency) {
      Annotations.of(this).addWarningV2('tempo-batch:ReaderOvercommit', `${this.readerBudget.coordinators} coordinators may run at once with ${invokeConcurrency} readers each, more than the reader's concurrency of ${readerConcurrency}: expect throttled invokes (retried after a backoff) and slower batches`)
    }
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
      [EnvNames.maxRequestBytes]: String(props.api?.maxRequestBytes ?? BATCH_API_DEFAULTS.maxBodyBytes),
      [EnvNames.inlineResultMaxBytes]: String(props.api?.inlineResultMaxBytes ?? BATCH_API_DEFAULTS.inlineResultMaxBytes),
      [EnvNames.presignExpirySeconds]: String(props.api?.presignExpirySeconds ?? 900),
      // API Gateway cuts the request at 29 s and the coordinator retries a shard once: both attempts must fit.
      [EnvNames.readerTimeoutMs]: '12000',
    })
    this.sqsCoordinator = coordinator('SqsCoordinator', HandlerEntries.sqs, 'tempo-batch-sqs', longTimeout)
    this.stepFunctionsCoordinator = coordinator('StepFunctionsCoordinator', HandlerEntries.stepFunctions, 'tempo-batch-sfn', longTimeout)

    this.api = new BatchApi(this, 'Api', {
      handler: this.apiCoordinator,
      throttlingRateLimit: api.rate,
      throttlingBurstLimit: api.burst,
      logRetention,
      logging: props.api?.logging ?? 'off',
    })
    this.requests = new RequestQueue(this, 'Requests', { handler: this.sqsCoordinator, handlerTimeout: longTimeout, batchSize: 1, maxConcurrency: requestQueueConcurrency })
    // A batch the API cannot finish in 29 s goes on to the SQS coordinator.
    grantRequestHandOver(this.apiCoordinator, this.requests.queue)
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
      maxConcurrency: chunkConcurrency,
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

function coordinatorEnvironment(props: TempoBatchFetcherProps, readerTimeout: Duration, budget: ReaderBudget): Record<string, string> {
  const c = props.coordinator
  const env: Record<string, string> = {
    // A reader that outlives its own Lambda timeout is gone; wait a little longer than that, not forever.
    [EnvNames.readerTimeoutMs]: String(readerTimeout.toMilliseconds() + 5_000),
    [EnvNames.maxReaders]: String(c?.maxReaders ?? budget.maxReaders),
    [EnvNames.invokeConcurrency]: String(c?.invokeConcurrency ?? budget.invokeConcurrency),
  }
  if (c?.maxIds !== undefined) env[EnvNames.maxIds] = String(c.maxIds)
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
