import { describe, expect, it } from 'vitest'
import { EnvNames } from '../../functions/config/env.js'
import { ConfigError, readApiConfig, readReaderConfig, readSqsConfig } from '../../functions/config/read-config.js'

const base = { [EnvNames.tempoBucket]: 'tempo', [EnvNames.resultBucket]: 'results-bucket', [EnvNames.resultPrefix]: 'results' }

describe('readConfig', () => {
  it('reads the reader settings with defaults for optional ones', () => {
    expect(readReaderConfig({ ...base, [EnvNames.blockConcurrency]: '8' })).toEqual({ tempoBucket: 'tempo', tempoPrefix: '', resultBucket: 'results-bucket', resultPrefix: 'results', blockConcurrency: 8 })
    const tuned = readReaderConfig({ ...base, [EnvNames.idsPerChunk]: '250', [EnvNames.readWindowBytes]: '1048576', [EnvNames.fetchRoundBytes]: '4194304' })
    expect(tuned).toMatchObject({ idsPerChunk: 250, readWindowBytes: 1_048_576, fetchRoundBytes: 4_194_304 })
    expect(() => readReaderConfig({ ...base, [EnvNames.readWindowBytes]: '2MiB' })).toThrow(/READ_WINDOW_BYTES must be a non-negative integer/)
  })

  it('fails loudly, naming the variable, when one is missing or malformed', () => {
    expect(() => readReaderConfig({ [EnvNames.tempoBucket]: 'tempo' })).toThrow(new ConfigError(EnvNames.resultBucket, 'is not set'))
    expect(() => readSqsConfig({ ...base, [EnvNames.readerFunction]: 'reader' })).toThrow(/COMPLETION_TOPIC_ARN is not set/)
    expect(() => readApiConfig({ ...base, [EnvNames.readerFunction]: 'reader' })).toThrow(/REQUEST_QUEUE_URL is not set/)
    expect(() => readApiConfig({ ...base, [EnvNames.readerFunction]: 'reader', [EnvNames.requestQueueUrl]: 'q', [EnvNames.maxIds]: 'lots' })).toThrow(/MAX_IDS must be a non-negative integer/)
    expect(() => readApiConfig({ ...base, [EnvNames.readerFunction]: 'reader', [EnvNames.requestQueueUrl]: 'q', [EnvNames.tenantMaxBytesPerTrace]: '{"a":-1}' })).toThrow(/TENANT_MAX_BYTES_PER_TRACE has a bad limit/)
    // Tenants Tempo's rule refuses could never match a request (issue 11).
    expect(() => readApiConfig({ ...base, [EnvNames.readerFunction]: 'reader', [EnvNames.requestQueueUrl]: 'q', [EnvNames.allowedTenants]: 'a,b:c' })).toThrow(/ALLOWED_TENANTS names an invalid tenant: .*"b:c"/)
    expect(() => readApiConfig({ ...base, [EnvNames.readerFunction]: 'reader', [EnvNames.requestQueueUrl]: 'q', [EnvNames.tenantMaxBytesPerTrace]: '{"..":1}' })).toThrow(/TENANT_MAX_BYTES_PER_TRACE names an invalid tenant/)
  })

  it('reads the API settings: tenants, limits and overrides', () => {
    const config = readApiConfig({
      ...base,
      [EnvNames.readerFunction]: 'reader',
      [EnvNames.allowedTenants]: ' a, b ,',
      [EnvNames.maxIds]: '500',
      [EnvNames.tenantMaxBytesPerTrace]: '{"b":100000}',
      [EnvNames.inlineResultMaxBytes]: '42',
      [EnvNames.requestQueueUrl]: 'https://sqs.eu-west-1.amazonaws.com/123456789012/requests',
    })
    expect(config).toMatchObject({ allowedTenants: ['a', 'b'], maxIds: 500, tenantMaxBytesPerTrace: { b: 100000 }, inlineResultMaxBytes: 42, presignExpirySeconds: 900, maxRequestBytes: 1_048_576 })
    expect(config.requestQueueUrl).toMatch(/requests$/)
  })
})
