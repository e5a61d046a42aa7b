import { gunzipSync } from 'node:zlib'
import { decompress } from 'fzstd'
import { describe, expect, it } from 'vitest'
import { GzipError, gunzip, gzipWithName } from '../../functions/core/encoding/gzip.js'
import { ProtoReader, ProtoWriter, ProtobufDecodeError, WireType } from '../../functions/core/encoding/protobuf.js'
import { ZstdError, zstdDecompress, zstdRawFrame } from '../../functions/core/encoding/zstd.js'
import { decodeTimestamp, encodeTimestamp } from '../../functions/core/blocks/tenant-index-proto.js'

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

describe('protobuf wire format', () => {
  it('writes and reads varints, including 64-bit two\'s complement negatives', () => {
    const writer = new ProtoWriter().varint(0).varint(1).varint(300).varint(2 ** 53 - 1).varint(-1n).varint(-62135596800n)
    const bytes = writer.finish()
    expect(hex(bytes.subarray(0, 4))).toBe('0001ac02')
    const reader = new ProtoReader(bytes)
    expect(reader.varint()).toBe(0)
    expect(reader.varint()).toBe(1)
    expect(reader.varint()).toBe(300)
    expect(reader.varint()).toBe(2 ** 53 - 1)
    expect(reader.int64()).toBe(-1n)
    expect(reader.int64()).toBe(-62135596800n)
    expect(reader.more).toBe(false)
  })

  it('reads uint32 and int32 varints truncated to 32 bits, as Go does, short and long', () => {
    const values = [0, 3, 2 ** 28 - 1, 2 ** 28, 2 ** 31, 2 ** 32 - 1, 2 ** 32 + 5]
    const bytes = new ProtoWriter()
    for (const v of values) bytes.varint(v)
    bytes.varint(-1n).varint(-2147483648n)
    const reader = new ProtoReader(bytes.finish())
    expect(values.map(() => reader.uint32())).toEqual([0, 3, 2 ** 28 - 1, 2 ** 28, 2 ** 31, 2 ** 32 - 1, 5])
    expect([reader.int32(), reader.int32()]).toEqual([-1, -2147483648])
    expect(reader.more).toBe(false)
    expect(() => new ProtoReader(Uint8Array.of(0xff, 0xff)).uint32()).toThrow(ProtobufDecodeError)
  })

  it('encodes Go zero time as seconds -62135596800 in a 10-byte varint', () => {
    const bytes = encodeTimestamp(-62135596800n * 1_000_000_000n)
    expect(bytes.length).toBe(11)
    // The same bytes occur in Tempo's backend-test index.pb.zst.
    expect(hex(bytes)).toBe('088092b8c398feffffff01')
    expect(decodeTimestamp(bytes)).toBe(-62135596800n * 1_000_000_000n)
    expect(decodeTimestamp(encodeTimestamp(-1n))).toBe(-1n)
    expect(hex(encodeTimestamp(0n))).toBe('')
  })

  it('skips unknown fields of every wire type and omits proto3 defaults', () => {
    const bytes = new ProtoWriter()
      .varintField(11, 5)
      .tag(12, WireType.fixed64).varint(0).varint(0).varint(0).varint(0).varint(0).varint(0).varint(0).varint(0)
      .stringField(14, 'v1')
      .tag(15, WireType.fixed32).varint(0).varint(0).varint(0).varint(0)
      .varintField(1, 0)
      .stringField(2, '')
      .stringField(3, 'keep')
      .finish()
    const reader = new ProtoReader(bytes)
    const seen: number[] = []
    let kept = ''
    while (reader.more) {
      const [field, wireType] = reader.tag()
      seen.push(field)
      if (field === 3) kept = reader.strictString()
      else reader.skip(wireType)
    }
    expect(seen).toEqual([11, 12, 14, 15, 3])
    expect(kept).toBe('keep')
  })

  it('rejects truncated input', () => {
    expect(() => new ProtoReader(Uint8Array.of(0x80)).varint()).toThrow(ProtobufDecodeError)
    expect(() => new ProtoReader(Uint8Array.of(0x0a, 0x05, 0x61)).skip(WireType.lengthDelimited)).toThrow(/truncated field/)
    const reader = new ProtoReader(Uint8Array.of(0x0b))
    expect(() => reader.skip(reader.tag()[1])).toThrow(/wire type 3/)
  })
})

describe('zstd', () => {
  it('writes Raw-block frames that fzstd decodes, empty and across several 128 KiB blocks', () => {
    for (const size of [0, 1, 131072, 131073, 300_000]) {
      const data = Uint8Array.from({ length: size }, (_, i) => (i * 31) & 0xff)
      const frame = zstdRawFrame(data)
      expect(hex(decompress(frame))).toBe(hex(data))
      expect(hex(zstdDecompress(frame))).toBe(hex(data))
    }
  })

  it('rejects bytes that are not zstd', () => {
    expect(() => zstdDecompress(Uint8Array.of(1, 2, 3, 4))).toThrow(ZstdError)
    expect(() => zstdDecompress(zstdRawFrame(new Uint8Array(1000)).subarray(0, 100))).toThrow(ZstdError)
  })
})

describe('gzip', () => {
  it('names the member like Go and round-trips through node:zlib', () => {
    const data = new TextEncoder().encode('{"x":1}'.repeat(1000))
    const gz = gzipWithName(data, 'index.json')
    expect(hex(gz.subarray(0, 4))).toBe('1f8b0808')
    expect(hex(gunzipSync(gz))).toBe(hex(data))
    expect(hex(gunzip(gz))).toBe(hex(data))
    expect(() => gunzip(Uint8Array.of(1, 2, 3))).toThrow(GzipError)
  })
})
