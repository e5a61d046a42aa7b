/**
 * Bit tricks for passing bit-packed levels a word at a time: how many values of a width fit a word that
 * ends on a byte, which value slots of a word are non-zero, and a popcount to count them.
 */

/** Word layouts for passing levels a word at a time: 1, 2 and 4 bits in 32-bit words, 3 bits in 24. */
export const WORDS: Record<number, { values: number; bytes: number; lowBits: number }> = {
  1: { values: 32, bytes: 4, lowBits: 0xffffffff | 0 },
  2: { values: 16, bytes: 4, lowBits: 0x55555555 },
  3: { values: 8, bytes: 3, lowBits: 0x249249 },
  4: { values: 8, bytes: 4, lowBits: 0x11111111 },
}

/** Each value slot of `word` (`width` bits, 1-4) with its low bit set if any of its bits is. */
export function nonZeroSlots(word: number, width: number): number {
  let any = word
  if (width > 1) any |= word >>> 1
  if (width > 2) any |= word >>> 2
  if (width > 3) any |= word >>> 3
  return any
}

/** Set bits of a 32-bit word. */
export function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555)
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  x = (x + (x >>> 4)) & 0x0f0f0f0f
  return Math.imul(x, 0x01010101) >>> 24
}
