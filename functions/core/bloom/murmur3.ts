/**
 * MurmurHash3 x64_128 (the reference algorithm, seed applied to both halves), as used by
 * bits-and-blooms/bloom for its base hashes. 64-bit lanes are kept as pairs of uint32 numbers so the
 * hot loop never allocates a BigInt; only the result is converted.
 */

// A 64-bit lane: [high 32 bits, low 32 bits], both unsigned.
type Lane = [number, number]

const C1: Lane = [0x87c37b91, 0x114253d5]
const C2: Lane = [0x4cf5ad43, 0x2745937f]
const FMIX_1: Lane = [0xff51afd7, 0xed558ccd]
const FMIX_2: Lane = [0xc4ceb9fe, 0x1a85ec53]

/** (a * b) mod 2^64. */
function mul(a: Lane, b: Lane): Lane {
  const aLo = a[1]
  const bLo = b[1]
  // Full 64-bit product of the low halves from 16-bit pieces (every partial product < 2^53).
  const a0 = aLo & 0xffff
  const a1 = aLo >>> 16
  const b0 = bLo & 0xffff
  const b1 = bLo >>> 16
  const middle = a0 * b1 + a1 * b0
  const low = a0 * b0 + (middle % 0x10000) * 0x10000
  const lowCarry = Math.floor(low / 0x100000000)
  const high = a1 * b1 + Math.floor(middle / 0x10000) + lowCarry + Math.imul(a[0], bLo) + Math.imul(aLo, b[0])
  return [high >>> 0, low >>> 0]
}

/** (a + b) mod 2^64. */
function add(a: Lane, b: Lane): Lane {
  const low = a[1] + b[1]
  return [(a[0] + b[0] + (low > 0xffffffff ? 1 : 0)) >>> 0, low >>> 0]
}

function xor(a: Lane, b: Lane): Lane {
  return [(a[0] ^ b[0]) >>> 0, (a[1] ^ b[1]) >>> 0]
}

/** Rotate left by 0 < n < 64. */
function rotl(a: Lane, n: number): Lane {
  const [hi, lo] = n >= 32 ? [a[1], a[0]] : a
  const s = n % 32
  if (s === 0) return [hi, lo]
  return [((hi << s) | (lo >>> (32 - s))) >>> 0, ((lo << s) | (hi >>> (32 - s))) >>> 0]
}

/** Logical shift right by 0 < n < 64. */
function shr(a: Lane, n: number): Lane {
  if (n >= 32) return [0, a[0] >>> (n - 32)]
  return [a[0] >>> n, ((a[1] >>> n) | (a[0] << (32 - n))) >>> 0]
}

function fmix(k: Lane): Lane {
  k = xor(k, shr(k, 33))
  k = mul(k, FMIX_1)
  k = xor(k, shr(k, 33))
  k = mul(k, FMIX_2)
  return xor(k, shr(k, 33))
}

/** Little-endian 64-bit lane from `length` (0..8) bytes at `offset`; missing bytes are zero. */
function readLane(data: Uint8Array, offset: number, length: number): Lane {
  let lo = 0
  let hi = 0
  for (let i = 0; i < length; i++) {
    const byte = data[offset + i]!
    if (i < 4) lo |= byte << (8 * i)
    else hi |= byte << (8 * (i - 4))
  }
  return [hi >>> 0, lo >>> 0]
}

function mixK1(k1: Lane): Lane {
  return mul(rotl(mul(k1, C1), 31), C2)
}

function mixK2(k2: Lane): Lane {
  return mul(rotl(mul(k2, C2), 33), C1)
}

/** The two 64-bit halves as lanes; `murmur3_x64_128` wraps it with bigints. */
export function murmur3Lanes(data: Uint8Array, seed = 0): [Lane, Lane] {
  let h1: Lane = [0, seed >>> 0]
  let h2: Lane = [0, seed >>> 0]
  const blocks = Math.floor(data.length / 16)
  for (let b = 0; b < blocks; b++) {
    const offset = b * 16
    h1 = xor(h1, mixK1(readLane(data, offset, 8)))
    h1 = add(mul(add(rotl(h1, 27), h2), [0, 5]), [0, 0x52dce729])
    h2 = xor(h2, mixK2(readLane(data, offset + 8, 8)))
    h2 = add(mul(add(rotl(h2, 31), h1), [0, 5]), [0, 0x38495ab5])
  }
  const tail = blocks * 16
  const rest = data.length - tail
  if (rest > 8) h2 = xor(h2, mixK2(readLane(data, tail + 8, rest - 8)))
  if (rest > 0) h1 = xor(h1, mixK1(readLane(data, tail, Math.min(rest, 8))))
  // The length is xored in as a 64-bit value.
  const length: Lane = [Math.floor(data.length / 0x100000000) >>> 0, data.length >>> 0]
  h1 = xor(h1, length)
  h2 = xor(h2, length)
  h1 = add(h1, h2)
  h2 = add(h2, h1)
  h1 = fmix(h1)
  h2 = fmix(h2)
  h1 = add(h1, h2)
  h2 = add(h2, h1)
  return [h1, h2]
}

/** MurmurHash3 x64_128 of `data` with `seed` (default 0): the two unsigned 64-bit halves `[h1, h2]`. */
export function murmur3_x64_128(data: Uint8Array, seed = 0): [bigint, bigint] {
  const [h1, h2] = murmur3Lanes(data, seed)
  return [laneToBigInt(h1), laneToBigInt(h2)]
}

/** Convert a lane to an unsigned bigint. */
export function laneToBigInt(lane: Lane): bigint {
  return (BigInt(lane[0]) << 32n) | BigInt(lane[1])
}

export type { Lane }
