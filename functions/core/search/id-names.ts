import { traceIdToHex } from '../contract/trace-id.js'
import { bytesToLatin1 } from '../parquet/latin1.js'

// A reader hands every block it searches the same ID arrays: their map key (latin1) and hex name are
// worked out once per array, not once per ID and block. ID arrays are never modified once parsed.
const idNames = new WeakMap<Uint8Array, { key: string; hex: string }>()

function namesOf(id: Uint8Array): { key: string; hex: string } {
  let names = idNames.get(id)
  if (names === undefined) idNames.set(id, (names = { key: bytesToLatin1(id), hex: traceIdToHex(id) }))
  return names
}

/** A 16-byte trace ID as a one-char-per-byte map key (remembered per array). */
export const keyOf = (id: Uint8Array): string => namesOf(id).key

/** A 16-byte trace ID as 32 lowercase hex digits (remembered per array). */
export const hexOf = (id: Uint8Array): string => namesOf(id).hex
