/**
 * Binary values as "latin1" strings: one char per byte (code units 0-255), so a 16-byte trace ID survives
 * hyparquet's string-typed statistics losslessly and plain string comparison keeps unsigned byte order.
 * (TextDecoder('latin1') is windows-1252 and would change bytes 0x80-0x9f, hence the loop.)
 */

const LATIN1_CHARS = Array.from({ length: 256 }, (_, b) => String.fromCharCode(b))

/** Bytes to a one-char-per-byte string. */
export function bytesToLatin1(bytes: Uint8Array): string {
  let out = ''
  // Trace IDs (16 bytes, once per ID and block searched): a table is several times faster than a spread.
  if (bytes.length <= 64) {
    for (let i = 0; i < bytes.length; i++) out += LATIN1_CHARS[bytes[i]!]!
    return out
  }
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode(...bytes.subarray(i, i + 4096))
  }
  return out
}

/** Inverse of `bytesToLatin1`. */
export function latin1ToBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff
  return bytes
}

/** hyparquet parsers that keep BYTE_ARRAY statistics and page-index bounds lossless. */
export const latin1StatParsers = {
  stringFromBytes: (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : bytesToLatin1(bytes)),
}
