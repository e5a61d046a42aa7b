import snappy from 'snappyjs'
import type { Codec } from './schema.js'

/**
 * Page compression. SNAPPY through snappyjs; ZSTD as a single frame of Raw blocks (valid zstd that any
 * decoder accepts, just not smaller) because Node 20 has no zstd encoder.
 */

/** Compress a page body with `codec`. */
export function compress(codec: Codec, data: Uint8Array): Uint8Array {
  if (codec === 'UNCOMPRESSED') return data
  if (codec === 'SNAPPY') return snappy.compress(data) as Uint8Array
  return zstdRawFrame(data)
}

const ZSTD_MAX_BLOCK = 128 * 1024

/** One zstd frame holding `data` in Raw blocks (single segment, 4-byte content size). */
export function zstdRawFrame(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / ZSTD_MAX_BLOCK))
  const out = new Uint8Array(4 + 1 + 4 + blocks * 3 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, 0xfd2fb528, true)
  // Frame header descriptor: 4-byte Frame_Content_Size, Single_Segment, no checksum, no dictionary.
  out[4] = 0xa0
  view.setUint32(5, data.length, true)
  let pos = 9
  for (let b = 0; b < blocks; b++) {
    const start = b * ZSTD_MAX_BLOCK
    const size = Math.min(ZSTD_MAX_BLOCK, data.length - start)
    const last = b === blocks - 1 ? 1 : 0
    // Block header: bit 0 last block, bits 1-2 type (0 = Raw), bits 3-23 size.
    const header = last | (size << 3)
    out[pos] = header & 0xff
    out[pos + 1] = (header >> 8) & 0xff
    out[pos + 2] = (header >> 16) & 0xff
    pos += 3
    out.set(data.subarray(start, start + size), pos)
    pos += size
  }
  return out
}
