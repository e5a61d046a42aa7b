import { describe, expect, it } from 'vitest'
import { MAX_TASK_OUTPUT_BYTES, taskOutput } from '../../functions/handlers/stepfunctions.js'
import { manifestWithShards } from './support/manifests.js'

describe('Step Functions task output', () => {
  it('carries the whole manifest when it fits', () => {
    const output = taskOutput({ manifest: manifestWithShards(3), manifestKey: 'results/req-1/manifest.json', reused: false }, 's3://results', true)
    expect(output).toMatchObject({ requestId: 'req-1', manifestLocation: 's3://results/results/req-1/manifest.json', resultLocation: 's3://results/results/req-1/result.ndjson.gz' })
    expect(output.manifest?.shards).toHaveLength(3)
  })

  it('drops the shard list, keeping counts and locations, when the output would pass the limit', () => {
    const manifest = manifestWithShards(5000)
    expect(Buffer.byteLength(JSON.stringify(manifest))).toBeGreaterThan(MAX_TASK_OUTPUT_BYTES)
    const output = taskOutput({ manifest, manifestKey: 'results/req-1/manifest.json', reused: false }, 's3://results', true)
    expect(Buffer.byteLength(JSON.stringify(output))).toBeLessThan(MAX_TASK_OUTPUT_BYTES)
    expect(output.manifest?.shards).toEqual([])
    expect(output.manifest?.counts).toEqual(manifest.counts)
  })
})
