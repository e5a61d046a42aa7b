import { crc32, deflateRawSync, gunzipSync } from 'node:zlib'

/** gzip helpers (node:zlib): Tempo's tenant index JSON is a gzip member named `index.json`. */

/** The bytes are not gzip. */
export class GzipError extends Error {
  override name = 'GzipError'
}

/** Decompress gzip bytes. */
export function gunzip(bytes: Uint8Array): Uint8Array {
  try {
    return new Uint8Array(gunzipSync(bytes))
  } catch (error) {
    throw new GzipError(`gzip: ${(error as Error).message}`)
  }
}

/** Gzip `data` as one member, with `fileName` in the header like Go's `gzip.Writer.Name`. */
export function gzipWithName(data: Uint8Array, fileName?: string): Uint8Array {
  const name = fileName === undefined ? new Uint8Array() : new TextEncoder().encode(fileName + '\0')
  // ID1 ID2 CM=deflate FLG (FNAME when named) MTIME=0 XFL=0 OS=255 (unknown), as Go writes.
  const header = Uint8Array.of(0x1f, 0x8b, 8, fileName === undefined ? 0 : 0x08, 0, 0, 0, 0, 0, 0xff)
  const body = deflateRawSync(data)
  const trailer = new Uint8Array(8)
  const view = new DataView(trailer.buffer)
  view.setUint32(0, crc32(data), true)
  view.setUint32(4, data.length >>> 0, true)
  const out = new Uint8Array(header.length + name.length + body.length + 8)
  out.set(header, 0)
  out.set(name, header.length)
  out.set(body, header.length + name.length)
  out.set(trailer, header.length + name.length + body.length)
  return out
}
