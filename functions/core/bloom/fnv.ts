/**
 * FNV-1 hashes (multiply, then xor — not FNV-1a). Tempo picks a trace's bloom shard with the 32-bit one;
 * the 64-bit one is Go's `fnv.New64()`, used for span de-duplication tokens.
 */

const FNV32_OFFSET = 0x811c9dc5
const FNV32_PRIME = 0x01000193

/** FNV-1 32-bit hash of `data`, as an unsigned 32-bit integer. */
export function fnv1_32(data: Uint8Array): number {
  let hash = FNV32_OFFSET
  for (let i = 0; i < data.length; i++) {
    hash = Math.imul(hash, FNV32_PRIME) ^ data[i]!
  }
  return hash >>> 0
}

// 64-bit state kept as two uint32 halves so the loop never allocates a BigInt.
const FNV64_OFFSET_HI = 0xcbf29ce4
const FNV64_OFFSET_LO = 0x84222325
// The 64-bit prime is 2^40 + 0x1b3.
const FNV64_PRIME_LOW_PART = 0x1b3

/** FNV-1 64-bit hash of `data` (offset 0xcbf29ce484222325, prime 0x100000001b3), as an unsigned bigint. */
export function fnv1_64(data: Uint8Array): bigint {
  let hi = FNV64_OFFSET_HI
  let lo = FNV64_OFFSET_LO
  for (let i = 0; i < data.length; i++) {
    // (hi:lo) * (2^40 + 0x1b3) mod 2^64; lo * 0x1b3 < 2^41 stays exact in a double.
    const loProduct = lo * FNV64_PRIME_LOW_PART
    const carry = Math.floor(loProduct / 0x100000000)
    hi = (Math.imul(hi, FNV64_PRIME_LOW_PART) + (lo << 8) + carry) >>> 0
    lo = (loProduct >>> 0) ^ data[i]!
    lo >>>= 0
  }
  return (BigInt(hi) << 32n) | BigInt(lo)
}
