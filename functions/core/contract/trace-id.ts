import { InvalidRequestError } from './errors.js'

/** A trace ID as Tempo stores it: exactly 16 bytes. */
export type TraceIdBytes = Uint8Array

const HEX = /^[0-9a-fA-F]*$/

/**
 * Parse a hex trace ID the way Tempo's HTTP API does: 1-32 hex digits, odd length gets a leading 0,
 * shorter IDs are left-padded with zero bytes to 16 bytes.
 */
export function parseTraceId(hex: string, field = 'traceId'): TraceIdBytes {
  if (typeof hex !== 'string') throw new InvalidRequestError(field, 'must be a hex string')
  const trimmed = hex.trim()
  if (trimmed.length === 0) throw new InvalidRequestError(field, 'is empty')
  if (trimmed.length > 32) throw new InvalidRequestError(field, `${JSON.stringify(trimmed.slice(0, 40))} has more than 32 hex digits`)
  if (!HEX.test(trimmed)) throw new InvalidRequestError(field, `${JSON.stringify(trimmed)} is not hexadecimal`)
  const padded = trimmed.padStart(32, '0')
  const bytes = new Uint8Array(16)
  for (let i = 0; i < 16; i++) bytes[i] = (nibble(padded.charCodeAt(2 * i)) << 4) | nibble(padded.charCodeAt(2 * i + 1))
  return bytes
}

// Already checked to be a hex digit.
function nibble(code: number): number {
  return code <= 0x39 ? code - 0x30 : (code | 0x20) - 0x57
}

// A reader converts every ID once per block it searches: a table beats formatting each byte.
const HEX_BYTES = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'))

/** 32 lowercase hex digits. */
export function traceIdToHex(id: Uint8Array): string {
  let out = ''
  for (let i = 0; i < id.length; i++) out += HEX_BYTES[id[i]!]!
  return out
}

/** Unsigned lexicographic byte comparison (Go's bytes.Compare). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!
    if (d !== 0) return d < 0 ? -1 : 1
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
}

/** Byte equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
