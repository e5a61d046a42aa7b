/**
 * Scalar encoders of Tempo's JSON dialect (gogo `jsonpb` over Go `encoding/json`): strings with Go's
 * escaping, doubles formatted like Go, bytes as padded standard base64.
 */

const HEX = '0123456789abcdef'

/** A JSON string literal exactly as Go's `encoding/json` writes it (HTML-safe, U+2028/2029 escaped, bad UTF-16 as U+FFFD). */
export function goJsonString(s: string): string {
  let out = '"'
  let start = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    let rep: string | undefined
    if (c < 0x20) {
      rep = c === 0x0a ? '\\n' : c === 0x0d ? '\\r' : c === 0x09 ? '\\t' : c === 0x08 ? '\\b' : c === 0x0c ? '\\f' : `\\u00${HEX[c >> 4]}${HEX[c & 15]}`
    } else if (c === 0x22) rep = '\\"'
    else if (c === 0x5c) rep = '\\\\'
    else if (c === 0x3c) rep = '\\u003c'
    else if (c === 0x3e) rep = '\\u003e'
    else if (c === 0x26) rep = '\\u0026'
    else if (c === 0x2028) rep = '\\u2028'
    else if (c === 0x2029) rep = '\\u2029'
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1)
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++
        continue
      }
      // A lone surrogate cannot be UTF-8; Go would have replaced the invalid bytes with U+FFFD.
      rep = '\ufffd'
    }
    if (rep !== undefined) {
      out += s.slice(start, i) + rep
      start = i + 1
    }
  }
  return out + s.slice(start) + '"'
}

/** A float64 as gogo jsonpb writes it: Go's shortest form, `-0` kept, NaN/±Infinity as strings. */
export function goJsonDouble(n: number): string {
  if (Number.isNaN(n)) return '"NaN"'
  if (n === Infinity) return '"Infinity"'
  if (n === -Infinity) return '"-Infinity"'
  if (n === 0) return Object.is(n, -0) ? '-0' : '0'
  // JavaScript switches to exponent form at the same thresholds as Go (|x| < 1e-6 or >= 1e21) and
  // also prints the shortest round-trip digits; only the exponent spelling could differ, and both
  // write `e-7` / `e+21` without zero padding.
  return String(n)
}

/** Padded standard base64, as Go's `encoding/json` writes `[]byte`. */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}
