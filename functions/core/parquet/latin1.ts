/**
 * Binary values as "latin1" strings: one char per byte (code units 0-255), so a 16-byte trace ID survives
 * hyparquet's string-typed statistics losslessly and plain string comparison keeps unsigned byte order.
 * (TextDecoder('latin1') is windows-1252 and would change bytes 0x80-0x9f, hence the loop.)
 */

/** Bytes to a one-char-per-byte string. */
export function bytesToLatin1(bytes: Uint8Array): string {
  // `apply` takes the typed array as it is; spreading it would run the iterator protocol per byte.
  if (bytes.length <= 4096) return String.fromCharCode.apply(null, bytes as unknown as number[])
  let out = ''
  for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[])
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
