/**
 * Names of the environment variables the Lambda handlers read. The CDK construct that grants a function
 * access to a resource sets the matching variable from these same constants, so the two cannot drift.
 */
export const EnvNames = {
  /** Bucket Tempo writes its blocks to. */
  tempoBucket: 'TEMPO_BUCKET',
  /** Key prefix of Tempo's backend inside that bucket ('' when Tempo writes at the root). */
  tempoPrefix: 'TEMPO_PREFIX',
  /** Bucket for partial results, final results and manifests. */
  resultBucket: 'RESULT_BUCKET',
  /** Key prefix for results inside the result bucket. */
  resultPrefix: 'RESULT_PREFIX',
  /** Name or ARN of the reader function the coordinator invokes. */
  readerFunction: 'READER_FUNCTION_NAME',
  /** Comma-separated tenants this deployment serves; empty means any tenant. */
  allowedTenants: 'ALLOWED_TENANTS',
  /** Most distinct trace IDs accepted in one request. */
  maxIds: 'MAX_IDS',
  /** Most readers one request fans out to. */
  maxReaders: 'MAX_READERS',
  /** Most reader invocations in flight per request. */
  invokeConcurrency: 'INVOKE_CONCURRENCY',
  /** Milliseconds before the coordinator gives up on one reader invocation. */
  readerTimeoutMs: 'READER_TIMEOUT_MS',
  /** Blocks one reader reads at the same time. */
  blockConcurrency: 'BLOCK_CONCURRENCY',
  /** Trace IDs a reader combines and writes per pass over its blocks (memory: one chunk's traces). */
  idsPerChunk: 'IDS_PER_CHUNK',
  /** Compressed page bytes a reader decodes per window of one block (memory: decoded pages). */
  readWindowBytes: 'READ_WINDOW_BYTES',
  /** Compressed page bytes a reader fetches per round of one block (memory: fetched bytes; fewer GETs). */
  fetchRoundBytes: 'FETCH_ROUND_BYTES',
  /** JSON object tenant -> max_bytes_per_trace (Tempo's per-tenant overrides). */
  tenantMaxBytesPerTrace: 'TENANT_MAX_BYTES_PER_TRACE',
  /** Largest result (uncompressed NDJSON bytes) the API returns inline instead of as a presigned URL. */
  inlineResultMaxBytes: 'INLINE_RESULT_MAX_BYTES',
  /** Lifetime in seconds of presigned result URLs. */
  presignExpirySeconds: 'PRESIGN_EXPIRY_SECONDS',
  /** Largest API request body in bytes. */
  maxRequestBytes: 'MAX_REQUEST_BYTES',
  /** SNS topic announcing finished SQS requests. */
  completionTopicArn: 'COMPLETION_TOPIC_ARN',
  /** SQS request queue the API coordinator hands a batch to when it cannot answer within API Gateway's limit. */
  requestQueueUrl: 'REQUEST_QUEUE_URL',
} as const

/** One of the environment variable names above. */
export type EnvName = (typeof EnvNames)[keyof typeof EnvNames]
