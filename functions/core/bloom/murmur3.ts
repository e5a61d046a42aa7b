/**
 * MurmurHash3 x64_128 (the reference algorithm, seed applied to both halves), as used by
 * bits-and-blooms/bloom for its base hashes. 64-bit lanes are handled as pairs of uint32 numbers and
 * intermediate results go through module-level registers, so hashing allocates nothing but its result;
 * a bloom test hashes every trace ID against every candidate block, so this loop is hot.
 */

// A 64-bit lane: [high 32 bits, low 32 bits], both unsigned.
type Lane = [number, number]

// Result registers of the 64-bit helpers (high, low).
let rh = 0
let rl = 0

/** (ah:al * bh:bl) mod 2^64 into rh:rl. */
function mul(ah: number, al: number, bh: number, bl: number): void {
  // Full 64-bit product of the low halves from 16-bit pieces (every partial product < 2^53).
  const a0 = al & 0xffff
  const a1 = al >>> 16
  const b0 = bl & 0xffff
  const b1 = bl >>> 16
  const middle = a0 * b1 + a1 * b0
  const low = a0 * b0 + (middle % 0x10000) * 0x10000
  const high = a1 * b1 + Math.floor(middle / 0x10000) + Math.floor(low / 0x100000000) + Math.imul(ah, bl) + Math.imul(al, bh)
  rh = high >>> 0
  rl = low >>> 0
}

/** (ah:al + bh:bl) mod 2^64 into rh:rl. */
function add(ah: number, al: number, bh: number, bl: number): void {
  const low = al + bl
  rh = (ah + bh + (low > 0xffffffff ? 1 : 0)) >>> 0
  rl = low >>> 0
}

/** Rotate ah:al left by 0 < n < 64 into rh:rl. */
function rotl(ah: number, al: number, n: number): void {
  if (n >= 32) {
    const t = ah
    ah = al
    al = t
    n -= 32
  }
  if (n === 0) {
    rh = ah
    rl = al
    return
  }
  rh = ((ah << n) | (al >>> (32 - n))) >>> 0
  rl = ((al << n) | (ah >>> (32 - n))) >>> 0
}

/** fmix64 of ah:al into rh:rl. */
function fmix(ah: number, al: number): void {
  // k ^= k >>> 33 touches only the low half: (high >>> 1) goes into it.
  al = (al ^ (ah >>> 1)) >>> 0
  mul(ah, al, 0xff51afd7, 0xed558ccd)
  ah = rh
  al = (rl ^ (rh >>> 1)) >>> 0
  mul(ah, al, 0xc4ceb9fe, 0x1a85ec53)
  rl = (rl ^ (rh >>> 1)) >>> 0
}

/** Little-endian uint32 from up to 4 bytes at `offset` (bytes beyond `end` count as zero). */
function readU32(data: Uint8Array, offset: number, end: number): number {
  let v = 0
  for (let i = 0; i < 4 && offset + i < end; i++) v |= data[offset + i]! << (8 * i)
  return v >>> 0
}

/** k1 = rotl(k1 * C1, 31) * C2 into rh:rl. */
function mixK1(kh: number, kl: number): void {
  mul(kh, kl, 0x87c37b91, 0x114253d5)
  rotl(rh, rl, 31)
  mul(rh, rl, 0x4cf5ad43, 0x2745937f)
}

/** k2 = rotl(k2 * C2, 33) * C1 into rh:rl. */
function mixK2(kh: number, kl: number): void {
  mul(kh, kl, 0x4cf5ad43, 0x2745937f)
  rotl(rh, rl, 33)
  mul(rh, rl, 0x87c37b91, 0x114253d5)
}

/**
 * The two 64-bit halves of MurmurHash3 x64_128 written into `out` as [h1 high, h1 low, h2 high, h2 low]
 * at `offset`; `extraByte` (0..255) hashes `data` followed by that byte without copying it.
 */
export function murmur3Into(data: Uint8Array, out: Uint32Array | number[], offset = 0, seed = 0, extraByte = -1): void {
  const length = data.length + (extraByte >= 0 ? 1 : 0)
  // Bytes come from `data`, then the extra byte.
  const byteAt = (i: number) => (i < data.length ? data[i]! : extraByte)
  let h1h = 0
  let h1l = seed >>> 0
  let h2h = 0
  let h2l = seed >>> 0
  const blocks = Math.floor(length / 16)
  for (let b = 0; b < blocks; b++) {
    const o = b * 16
    let k1l: number, k1h: number, k2l: number, k2h: number
    if (o + 16 <= data.length) {
      k1l = readU32(data, o, data.length)
      k1h = readU32(data, o + 4, data.length)
      k2l = readU32(data, o + 8, data.length)
      k2h = readU32(data, o + 12, data.length)
    } else {
      ;[k1l, k1h, k2l, k2h] = [0, 4, 8, 12].map((d) => (byteAt(o + d) | (byteAt(o + d + 1) << 8) | (byteAt(o + d + 2) << 16) | (byteAt(o + d + 3) << 24)) >>> 0) as [number, number, number, number]
    }
    mixK1(k1h, k1l)
    h1h = (h1h ^ rh) >>> 0
    h1l = (h1l ^ rl) >>> 0
    rotl(h1h, h1l, 27)
    add(rh, rl, h2h, h2l)
    mul(rh, rl, 0, 5)
    add(rh, rl, 0, 0x52dce729)
    h1h = rh
    h1l = rl
    mixK2(k2h, k2l)
    h2h = (h2h ^ rh) >>> 0
    h2l = (h2l ^ rl) >>> 0
    rotl(h2h, h2l, 31)
    add(rh, rl, h1h, h1l)
    mul(rh, rl, 0, 5)
    add(rh, rl, 0, 0x38495ab5)
    h2h = rh
    h2l = rl
  }
  const tail = blocks * 16
  const rest = length - tail
  if (rest > 8) {
    let kl = 0
    let kh = 0
    for (let i = 8; i < rest; i++) {
      if (i < 12) kl |= byteAt(tail + i) << (8 * (i - 8))
      else kh |= byteAt(tail + i) << (8 * (i - 12))
    }
    mixK2(kh >>> 0, kl >>> 0)
    h2h = (h2h ^ rh) >>> 0
    h2l = (h2l ^ rl) >>> 0
  }
  if (rest > 0) {
    let kl = 0
    let kh = 0
    for (let i = 0; i < Math.min(rest, 8); i++) {
      if (i < 4) kl |= byteAt(tail + i) << (8 * i)
      else kh |= byteAt(tail + i) << (8 * (i - 4))
    }
    mixK1(kh >>> 0, kl >>> 0)
    h1h = (h1h ^ rh) >>> 0
    h1l = (h1l ^ rl) >>> 0
  }
  // The length is xored in as a 64-bit value.
  const lenHigh = Math.floor(length / 0x100000000) >>> 0
  h1h = (h1h ^ lenHigh) >>> 0
  h1l = (h1l ^ length) >>> 0
  h2h = (h2h ^ lenHigh) >>> 0
  h2l = (h2l ^ length) >>> 0
  add(h1h, h1l, h2h, h2l)
  h1h = rh
  h1l = rl
  add(h2h, h2l, h1h, h1l)
  h2h = rh
  h2l = rl
  fmix(h1h, h1l)
  h1h = rh
  h1l = rl
  fmix(h2h, h2l)
  h2h = rh
  h2l = rl
  add(h1h, h1l, h2h, h2l)
  h1h = rh
  h1l = rl
  add(h2h, h2l, h1h, h1l)
  out[offset] = h1h
  out[offset + 1] = h1l
  out[offset + 2] = rh
  out[offset + 3] = rl
}

/** The two 64-bit halves as lanes `[h1, h2]`. */
export function murmur3Lanes(data: Uint8Array, seed = 0): [Lane, Lane] {
  const out = [0, 0, 0, 0]
  murmur3Into(data, out, 0, seed)
  return [
    [out[0]!, out[1]!],
    [out[2]!, out[3]!],
  ]
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
