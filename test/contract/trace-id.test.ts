import { describe, expect, it } from 'vitest'
import { parseTraceId, traceIdToHex } from '../../functions/core/contract/trace-id.js'
import { bytesToLatin1, latin1ToBytes } from '../../functions/core/parquet/latin1.js'

describe('trace ID conversions', () => {
  it('round-trips every byte value through hex (either case) and latin1', () => {
    for (let b = 0; b < 256; b += 16) {
      const bytes = Uint8Array.from({ length: 16 }, (_, i) => (b + i) & 0xff)
      const hex = traceIdToHex(bytes)
      expect(hex).toBe(Buffer.from(bytes).toString('hex'))
      expect(parseTraceId(hex)).toEqual(bytes)
      expect(parseTraceId(hex.toUpperCase())).toEqual(bytes)
      expect(latin1ToBytes(bytesToLatin1(bytes))).toEqual(bytes)
      expect(bytesToLatin1(bytes)).toBe(Buffer.from(bytes).toString('latin1'))
    }
  })

  it('pads short and odd-length IDs on the left as Tempo does', () => {
    expect(traceIdToHex(parseTraceId('abc'))).toBe('0'.repeat(29) + 'abc')
    expect(traceIdToHex(parseTraceId(' 474BE8B43449FB '))).toBe('000000000000000000474be8b43449fb')
  })

  it('keeps long binary values lossless in latin1', () => {
    const long = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 31) & 0xff)
    expect(latin1ToBytes(bytesToLatin1(long))).toEqual(long)
  })
})
