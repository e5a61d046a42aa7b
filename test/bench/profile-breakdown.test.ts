import { describe, expect, it } from 'vitest'
import { bucketOf } from '../../bench/profile/categories.js'
import { breakdownOf, type CpuProfile } from '../../bench/profile/cpu-profile.js'

/** The bench's `--profile` breakdown: which bucket a sample's time lands in. */

const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({ id, callFrame: { functionName, url }, children })

describe('profile breakdown', () => {
  it('files the reader code by path: levels, values, assembly, conversion, encoding, decompression', () => {
    expect(bucketOf('file:///w/dist/functions/core/parquet/hybrid-decoder.js', 'passRows')).toBe('levels')
    expect(bucketOf('file:///w/functions/core/parquet/encoded-values.ts', 'decode')).toBe('values')
    expect(bucketOf('file:///w/dist/functions/core/parquet/row-assembler.js', 'add')).toBe('assembly')
    expect(bucketOf('file:///w/dist/functions/core/formats/row-to-trace.js', 'convertSpan')).toBe('conversion')
    expect(bucketOf('file:///w/dist/functions/core/otlp/protobuf-encode.js', 'writeSpan')).toBe('encoding')
    expect(bucketOf('wasm://wasm/e10e82e2', 'uncompress')).toBe('decompression')
    expect(bucketOf('file:///w/node_modules/hyparquet/src/thrift.js', 'readElement')).toBe('pages')
    expect(bucketOf('', '(garbage collector)')).toBe('gc')
    expect(bucketOf('', '(idle)')).toBe('idle')
  })

  it('counts each sample for the time to the next one, leaves idle out, and charges native frames to their JS caller', () => {
    const profile: CpuProfile = {
      nodes: [
        frame(1, '(root)', '', [2, 3, 4, 6]),
        frame(2, '(garbage collector)', ''),
        frame(3, '(idle)', ''),
        frame(4, 'processChunk', 'node:zlib', [5]),
        frame(5, 'write', ''),
        frame(6, 'passRows', 'file:///w/functions/core/parquet/hybrid-decoder.ts'),
      ],
      samples: [2, 3, 5, 6, 6],
      // timeDeltas[i] precedes sample i: the samples stand for 100, 300, 50, 50 and 0 µs.
      timeDeltas: [0, 100, 300, 50, 50],
      startTime: 0,
      endTime: 500,
    }
    const breakdown = breakdownOf([profile])
    expect(breakdown.idleMs).toBeCloseTo(0.3)
    expect(breakdown.cpuMs).toBeCloseTo(0.2)
    expect(breakdown.buckets.gc).toBeCloseTo(0.1)
    expect(breakdown.buckets.encoding).toBeCloseTo(0.05)
    expect(breakdown.buckets.levels).toBeCloseTo(0.05)
    expect(breakdown.top[0]).toMatchObject({ frame: '(garbage collector)', bucket: 'gc' })
  })
})
