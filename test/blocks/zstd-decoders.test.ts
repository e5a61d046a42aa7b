import { createHash } from 'node:crypto'
import * as zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { jsZstdDecompress, nativeZstdDecompress, ZSTD_DECODER, ZstdError, zstdDecompress, zstdRawFrame, type ZstdDecoder } from '../../functions/core/encoding/zstd.js'

// Two frames compressed by libzstd (Node 24's zlib.zstdCompressSync) of 12,800 bytes of NDJSON-like text,
// whose SHA-256 is `TEXT_SHA256`: real compressed blocks, unlike the Raw blocks we write ourselves.
const TWO_FRAMES = Buffer.from(
  'KLUv/WCgDt0FAOLFERWgKR0P2HWO/9bgfZ1jUqaU0Lgfp2J0lyu6yxXd5YruckV3uaK7XNFdruguV3SXgMUghsShMMYkiXKUZAKzMQYREAYHoowiPyDgdwM5hdJRYpSE0lFilITSUWKUhNJRYpSE0lFilITSUWKUhKSjxCgJpaPEKAmlo8QoCaWjxCgJpaPEKAmlo8QoCaWjxEgSSkeJURJKR4lREkpHiVESSkeJURJKR4lREkpHiVESSkcSI5AEBpNp1hcotS/9YGAh9QUAwsoZFpApGQOrWOLpjfBhtuO4RUSEkGrGYnCccpdT7nLKXU65yyl3OeUup9zllLuccpdT7nLKXU65yyl3OeUup9zllLuccpdT7nLKXU4ZhoEQIBg4IBRDAWBhIAwSDgqGYSQSikORGAHjSYCLqCH49v8M4HcDElhB4EcQ+BEEfv4kSTJJMkmSRJIkkiTJJMlEkiRJkkmSJCJJJkmSJEkmkSSRJJkkSZJIMkmSTJJkkkiSJMkkSVoYhwAgUwVoag==',
  'base64',
)
const TEXT_SHA256 = '776e0c4f6cf2d214991ded72303e80f4bf0d227e9dc57417e9b7868256592a3e'

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const hasNativeZstd = typeof (zlib as { zstdDecompressSync?: unknown }).zstdDecompressSync === 'function'
if (!hasNativeZstd) console.info(`zstd: node:zlib has no zstd on Node ${process.version}; the native decoder's tests run on Node 22.15+ (.ci/run runs Node 24)`)

const decoders: [string, ZstdDecoder | undefined][] = [
  ['fzstd', jsZstdDecompress],
  ['node:zlib', nativeZstdDecompress],
]

describe('zstd decoders', () => {
  it('uses node:zlib where Node has zstd (22.15+), fzstd where it does not (Node 20)', () => {
    expect(ZSTD_DECODER).toBe(hasNativeZstd ? 'node:zlib' : 'fzstd')
    expect(nativeZstdDecompress === undefined).toBe(!hasNativeZstd)
  })

  for (const [name, decoder] of decoders) {
    describe.skipIf(decoder === undefined)(name, () => {
      const decode = (bytes: Uint8Array) => zstdDecompress(bytes, decoder!)

      it('decodes compressed frames, concatenated and with a skippable frame between them', () => {
        expect(sha256(decode(TWO_FRAMES))).toBe(TEXT_SHA256)
        const [first, second] = [TWO_FRAMES.subarray(0, 197), TWO_FRAMES.subarray(197)]
        const skippable = Buffer.alloc(12)
        skippable.writeUInt32LE(0x184d2a50, 0)
        skippable.writeUInt32LE(4, 4)
        expect(sha256(decode(Buffer.concat([first, skippable, second])))).toBe(TEXT_SHA256)
      })

      it('decodes the Raw-block frames we write, empty and across several 128 KiB blocks', () => {
        for (const size of [0, 1, 131072, 131073, 300_000]) {
          const data = Uint8Array.from({ length: size }, (_, i) => (i * 31) & 0xff)
          expect(Buffer.from(decode(zstdRawFrame(data))).equals(Buffer.from(data)), `${size} bytes`).toBe(true)
        }
      })

      it('rejects a truncated frame with a ZstdError', () => {
        expect(() => decode(TWO_FRAMES.subarray(0, 100))).toThrow(ZstdError)
        expect(() => decode(Uint8Array.of(1, 2, 3, 4))).toThrow(/missing frame magic/)
      })
    })
  }

  it.skipIf(!hasNativeZstd)('agrees with fzstd on what libzstd compresses', () => {
    const compress = (zlib as unknown as { zstdCompressSync: (bytes: Uint8Array) => Buffer }).zstdCompressSync
    const data = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `span-${i % 97}-${(i * 7919) % 1000};`).join(''))
    const frame = compress(data)
    expect(Buffer.from(jsZstdDecompress(frame)).equals(data)).toBe(true)
    expect(Buffer.from(nativeZstdDecompress!(frame)).equals(data)).toBe(true)
  })
})
