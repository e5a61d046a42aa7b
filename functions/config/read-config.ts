import { BATCH_API_DEFAULTS } from '../core/contract/batch-api.js'
import { TempoBatchError, describeError } from '../core/contract/errors.js'
import { validateTenant } from '../core/storage/layout.js'
import { EnvNames, type EnvName } from './env.js'

/** A required environment variable is missing or malformed: a deployment error, fail loudly at cold start. */
export class ConfigError extends TempoBatchError {
  constructor(readonly variable: string, problem: string) {
    super(`config: ${variable} ${problem}`)
  }
}

type Env = Record<string, string | undefined>

/** What every function that touches storage needs. */
export interface StorageConfig {
  tempoBucket: string
  tempoPrefix: string
  resultBucket: string
  resultPrefix: string
}

/** What the compare function needs: only the result bucket, where both results and the report lie. */
export interface ResultStoreConfig {
  resultBucket: string
  resultPrefix: string
}

/** The reader function's configuration. */
export interface ReaderConfig extends StorageConfig {
  blockConcurrency?: number
  idsPerChunk?: number
  readWindowBytes?: number
  fetchRoundBytes?: number
}

/** Configuration shared by the three coordinator entry points (API, SQS, Step Functions). */
export interface CoordinatorConfig extends StorageConfig {
  readerFunction: string
  /** Empty: any tenant. */
  allowedTenants: string[]
  maxIds?: number
  maxReaders?: number
  invokeConcurrency?: number
  readerTimeoutMs?: number
  tenantMaxBytesPerTrace: Record<string, number>
}

/** The API entry point's configuration. */
export interface ApiConfig extends CoordinatorConfig {
  inlineResultMaxBytes: number
  presignExpirySeconds: number
  maxRequestBytes: number
  /** Where a batch goes when it cannot finish before API Gateway's limit. */
  requestQueueUrl: string
}

/** The SQS entry point's configuration. */
export interface SqsConfig extends CoordinatorConfig {
  completionTopicArn: string
}

/** Defaults of the optional API settings (the construct sets them explicitly too). */
export const API_DEFAULTS = { inlineResultMaxBytes: BATCH_API_DEFAULTS.inlineResultMaxBytes, presignExpirySeconds: 900, maxRequestBytes: BATCH_API_DEFAULTS.maxBodyBytes } as const

/** Read the storage settings; throws `ConfigError` naming the first missing variable. */
export function readStorageConfig(env: Env = process.env): StorageConfig {
  return {
    tempoBucket: required(env, EnvNames.tempoBucket),
    tempoPrefix: env[EnvNames.tempoPrefix] ?? '',
    resultBucket: required(env, EnvNames.resultBucket),
    resultPrefix: required(env, EnvNames.resultPrefix),
  }
}

/** Read the result bucket settings (the compare function's whole configuration). */
export function readResultStoreConfig(env: Env = process.env): ResultStoreConfig {
  return { resultBucket: required(env, EnvNames.resultBucket), resultPrefix: required(env, EnvNames.resultPrefix) }
}

/** Read the reader's settings. */
export function readReaderConfig(env: Env = process.env): ReaderConfig {
  const config: ReaderConfig = readStorageConfig(env)
  withOptional(config, 'blockConcurrency', optionalInt(env, EnvNames.blockConcurrency))
  withOptional(config, 'idsPerChunk', optionalInt(env, EnvNames.idsPerChunk))
  withOptional(config, 'readWindowBytes', optionalInt(env, EnvNames.readWindowBytes))
  return withOptional(config, 'fetchRoundBytes', optionalInt(env, EnvNames.fetchRoundBytes))
}

/** Read the coordinator's settings. */
export function readCoordinatorConfig(env: Env = process.env): CoordinatorConfig {
  const config: CoordinatorConfig = {
    ...readStorageConfig(env),
    readerFunction: required(env, EnvNames.readerFunction),
    allowedTenants: tenantNames(EnvNames.allowedTenants, (env[EnvNames.allowedTenants] ?? '').split(',').map((t) => t.trim()).filter((t) => t.length > 0)),
    tenantMaxBytesPerTrace: tenantLimits(env),
  }
  withOptional(config, 'maxIds', optionalInt(env, EnvNames.maxIds))
  withOptional(config, 'maxReaders', optionalInt(env, EnvNames.maxReaders))
  withOptional(config, 'invokeConcurrency', optionalInt(env, EnvNames.invokeConcurrency))
  return withOptional(config, 'readerTimeoutMs', optionalInt(env, EnvNames.readerTimeoutMs))
}

/** Read the API entry point's settings. */
export function readApiConfig(env: Env = process.env): ApiConfig {
  return {
    ...readCoordinatorConfig(env),
    inlineResultMaxBytes: optionalInt(env, EnvNames.inlineResultMaxBytes) ?? API_DEFAULTS.inlineResultMaxBytes,
    presignExpirySeconds: optionalInt(env, EnvNames.presignExpirySeconds) ?? API_DEFAULTS.presignExpirySeconds,
    maxRequestBytes: optionalInt(env, EnvNames.maxRequestBytes) ?? API_DEFAULTS.maxRequestBytes,
    requestQueueUrl: required(env, EnvNames.requestQueueUrl),
  }
}

/** Read the SQS entry point's settings. */
export function readSqsConfig(env: Env = process.env): SqsConfig {
  return { ...readCoordinatorConfig(env), completionTopicArn: required(env, EnvNames.completionTopicArn) }
}

function required(env: Env, name: EnvName): string {
  const value = env[name]
  if (value === undefined || value.trim() === '') throw new ConfigError(name, 'is not set')
  return value.trim()
}

function optionalInt(env: Env, name: EnvName): number | undefined {
  const value = env[name]
  if (value === undefined || value.trim() === '') return undefined
  if (!/^\d+$/.test(value.trim())) throw new ConfigError(name, `must be a non-negative integer, got ${JSON.stringify(value)}`)
  return Number(value.trim())
}

function tenantLimits(env: Env): Record<string, number> {
  const raw = env[EnvNames.tenantMaxBytesPerTrace]
  if (raw === undefined || raw.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw new ConfigError(EnvNames.tenantMaxBytesPerTrace, 'is not valid JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(EnvNames.tenantMaxBytesPerTrace, 'must be a JSON object tenant -> bytes')
  for (const [tenant, bytes] of Object.entries(parsed)) {
    if (!Number.isSafeInteger(bytes) || (bytes as number) < 0) throw new ConfigError(EnvNames.tenantMaxBytesPerTrace, `has a bad limit for tenant ${JSON.stringify(tenant)}`)
  }
  tenantNames(EnvNames.tenantMaxBytesPerTrace, Object.keys(parsed))
  return parsed as Record<string, number>
}

// A tenant Tempo's rule refuses could never match a request: a deployment error, said at cold start.
function tenantNames(variable: EnvName, tenants: string[]): string[] {
  for (const tenant of tenants) {
    try {
      validateTenant(tenant)
    } catch (error) {
      throw new ConfigError(variable, `names an invalid tenant: ${describeError(error)}`)
    }
  }
  return tenants
}

function withOptional<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): T {
  if (value !== undefined) target[key] = value
  return target
}
