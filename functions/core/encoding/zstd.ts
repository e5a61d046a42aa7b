import * as zlib from 'node:zlib'
import { decompress } from 'fzstd'

/**
 * Zstandard helpers: decoding through Node's built-in zstd (Node 22.15 and later) where it exists, else
 * through `fzstd` (pure JS, what Node 20 has); encoding as a valid frame of Raw (stored) blocks, which every
 * zstd decoder accepts. Tempo-written indexes are small, so no compression is needed to write one.
 */

const MAGIC = [0x28, 0xb5, 0x2f, 0xfd]
const MAX_RAW_BLOCK = 128 * 1024

/** The bytes are not a zstd frame the decoder can decode. */
export class ZstdError extends Error {
  override name = 'ZstdError'
}

/** Decompresses one or more concatenated zstd frames. */
export type ZstdDecoder = (bytes: Uint8Array) => Uint8Array

// Declared by @types/node only from Node 22 on; looked up at run time so Node 20 falls back.
const builtIn = (zlib as { zstdDecompressSync?: (bytes: Uint8Array) => Buffer }).zstdDecompressSync

/** Node's own zstd decoder (native, several times faster than JS), or undefined on Node 20. */
export const nativeZstdDecompress: ZstdDecoder | undefined = builtIn ? (bytes) => builtIn(bytes) : undefined

/** The pure-JS decoder (`fzstd`), the fallback for Node versions without zstd in `node:zlib`. */
export const jsZstdDecompress: ZstdDecoder = (bytes) => decompress(bytes)

/** Which decoder `zstdDecompress` uses on this Node. */
export const ZSTD_DECODER: 'node:zlib' | 'fzstd' = nativeZstdDecompress ? 'node:zlib' : 'fzstd'

/** Decompress one or more concatenated zstd frames (with `decoder`, default the fastest this Node has). */
export function zstdDecompress(bytes: Uint8Array, decoder: ZstdDecoder = nativeZstdDecompress ?? jsZstdDecompress): Uint8Array {
  if (bytes.length < 4 || MAGIC.some((b, i) => bytes[i] !== b)) throw new ZstdError('zstd: missing frame magic 28 b5 2f fd')
  try {
    return decoder(bytes)
  } catch (error) {
    throw new ZstdError(`zstd: ${(error as Error).message}`)
  }
}

/** A single-segment zstd frame (content size in the header, no checksum) made of Raw blocks. */
export function zstdRawFrame(data: Uint8Array): Uint8Array {
  if (data.length > 0xffffffff) throw new RangeError('zstd: raw frame writer supports up to 4 GiB')
  const blocks = Math.max(1, Math.ceil(data.length / MAX_RAW_BLOCK))
  const out = new Uint8Array(4 + 1 + 4 + blocks * 3 + data.length)
  out.set(MAGIC, 0)
  // Frame header descriptor: 4-byte content size (flag 2), single segment, no checksum, no dictionary.
  out[4] = 0xa0
  new DataView(out.buffer).setUint32(5, data.length, true)
  let pos = 9
  for (let b = 0; b < blocks; b++) {
    const chunk = data.subarray(b * MAX_RAW_BLOCK, Math.min(data.length, (b + 1) * MAX_RAW_BLOCK))
    const last = b === blocks - 1 ? 1 : 0
    // Block header: 3 bytes LE = size << 3 | type (0 = Raw) << 1 | last.
    const header = (chunk.length << 3) | last
    out[pos] = header & 0xff
    out[pos + 1] = (header >>> 8) & 0xff
    out[pos + 2] = (header >>> 16) & 0xff
    out.set(chunk, pos + 3)
    pos += 3 + chunk.length
  }
  return out
}
