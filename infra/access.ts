import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam'
import type { IKey } from 'aws-cdk-lib/aws-kms'
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda'
import type { IBucket } from 'aws-cdk-lib/aws-s3'
import type { IQueue } from 'aws-cdk-lib/aws-sqs'
import { EnvNames } from '../functions/config/env.js'

/**
 * Least-privilege grants. Each grant also sets the environment variables the function reads for that
 * resource, from the constants shared with the handlers, so the policy and the config cannot drift apart.
 */

/** `a/b/` for a non-empty prefix, '' otherwise (no leading slash, one trailing slash). */
export function normalisePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '')
  return trimmed === '' ? '' : `${trimmed}/`
}

/** Where in the Tempo bucket a function may read: the whole prefix, or only the allowed tenants under it. */
export interface TempoScope {
  bucket: IBucket
  prefix: string
  tenants?: string[]
  /** The KMS key of an SSE-KMS Tempo bucket (GetObject needs kms:Decrypt on it). */
  key?: IKey
}

function tempoKeyPatterns(scope: TempoScope): string[] {
  const prefix = normalisePrefix(scope.prefix)
  if (scope.tenants === undefined || scope.tenants.length === 0) return [`${prefix}*`]
  return scope.tenants.map((tenant) => `${prefix}${tenant}/*`)
}

function setEnv(fn: LambdaFunction, name: string, value: string): void {
  fn.addEnvironment(name, value)
}

/**
 * Read the Tempo prefix (or the allowed tenants' prefixes): GetObject, and ListBucket limited to the same
 * prefixes. Coordinators list blocks; readers need the listing right too, because without it S3 answers a
 * block deleted by compaction after planning with 403 instead of 404, a permission problem instead of a
 * vanished block.
 */
export function grantTempoRead(fn: LambdaFunction, scope: TempoScope): void {
  const patterns = tempoKeyPatterns(scope)
  fn.addToRolePolicy(new PolicyStatement({
    sid: 'ReadTempoBlocks',
    effect: Effect.ALLOW,
    actions: ['s3:GetObject'],
    resources: patterns.map((pattern) => scope.bucket.arnForObjects(pattern)),
  }))
  const list = new PolicyStatement({ sid: 'ListTempoBlocks', effect: Effect.ALLOW, actions: ['s3:ListBucket'], resources: [scope.bucket.bucketArn] })
  // With no prefix and no tenant list the whole bucket is Tempo's; otherwise listing stays inside it.
  if (patterns[0] !== '*') list.addCondition('StringLike', { 's3:prefix': patterns })
  fn.addToRolePolicy(list)
  scope.key?.grantDecrypt(fn)
  setEnv(fn, EnvNames.tempoBucket, scope.bucket.bucketName)
  setEnv(fn, EnvNames.tempoPrefix, normalisePrefix(scope.prefix).replace(/\/$/, ''))
  if (scope.tenants && scope.tenants.length > 0) setEnv(fn, EnvNames.allowedTenants, scope.tenants.join(','))
}

/** Where results go. */
export interface ResultScope {
  bucket: IBucket
  prefix: string
}

function setResultEnv(fn: LambdaFunction, scope: ResultScope): void {
  setEnv(fn, EnvNames.resultBucket, scope.bucket.bucketName)
  setEnv(fn, EnvNames.resultPrefix, normalisePrefix(scope.prefix).replace(/\/$/, ''))
}

// A streamed write that fails aborts its multipart upload; without this right the abort fails silently
// and the uploaded parts stay billed until the lifecycle rule cleans them up.
const WRITE_ACTIONS = ['s3:PutObject', 's3:AbortMultipartUpload']

/** Reader: write only `<results>/.../parts/*`, read only the offloaded job ID lists `<results>/.../jobs/*`. */
export function grantResultPartsWrite(fn: LambdaFunction, scope: ResultScope): void {
  const prefix = normalisePrefix(scope.prefix)
  fn.addToRolePolicy(new PolicyStatement({ sid: 'WriteResultParts', effect: Effect.ALLOW, actions: WRITE_ACTIONS, resources: [scope.bucket.arnForObjects(`${prefix}*/parts/*`)] }))
  fn.addToRolePolicy(new PolicyStatement({ sid: 'ReadJobIdLists', effect: Effect.ALLOW, actions: ['s3:GetObject'], resources: [scope.bucket.arnForObjects(`${prefix}*/jobs/*`)] }))
  scope.bucket.encryptionKey?.grantEncryptDecrypt(fn)
  setResultEnv(fn, scope)
}

/** Coordinator: read and write everything under the results prefix, and list it (so a missing manifest is a 404). */
export function grantResultsReadWrite(fn: LambdaFunction, scope: ResultScope): void {
  const prefix = normalisePrefix(scope.prefix)
  fn.addToRolePolicy(new PolicyStatement({
    sid: 'ReadWriteResults',
    effect: Effect.ALLOW,
    actions: ['s3:GetObject', ...WRITE_ACTIONS],
    resources: [scope.bucket.arnForObjects(`${prefix}*`)],
  }))
  const list = new PolicyStatement({ sid: 'ListResults', effect: Effect.ALLOW, actions: ['s3:ListBucket'], resources: [scope.bucket.bucketArn] })
  if (prefix !== '') list.addCondition('StringLike', { 's3:prefix': [`${prefix}*`] })
  fn.addToRolePolicy(list)
  scope.bucket.encryptionKey?.grantEncryptDecrypt(fn)
  setResultEnv(fn, scope)
}

/** Coordinator: invoke the reader, and only it. */
export function grantReaderInvoke(fn: LambdaFunction, reader: LambdaFunction): void {
  reader.grantInvoke(fn)
  setEnv(fn, EnvNames.readerFunction, reader.functionName)
}

/** API coordinator: send a batch it cannot finish in time to the SQS request queue, and only there. */
export function grantRequestHandOver(fn: LambdaFunction, queue: IQueue): void {
  queue.grantSendMessages(fn)
  setEnv(fn, EnvNames.requestQueueUrl, queue.queueUrl)
}
