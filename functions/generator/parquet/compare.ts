/** Orderings parquet statistics use (byte order is `compareBytes` in core/trace-id), and the page-index truncation rule. */

/** Compare two strings in UTF-8 byte order (JS `<` is UTF-16 order, which differs above U+E000). */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i)
    let cb = b.charCodeAt(i)
    if (ca === cb) continue
    // Surrogates encode code points above U+FFFF, which sort after every BMP character in UTF-8.
    if (ca >= 0xd800 && ca <= 0xdfff) ca += 0x10000
    if (cb >= 0xd800 && cb <= 0xdfff) cb += 0x10000
    return ca < cb ? -1 : 1
  }
  return a.length < b.length ? -1 : 1
}

/** ColumnIndex bounds are cut to this many bytes (parquet-go's default). */
export const COLUMN_INDEX_TRUNCATE = 16

/** Truncate a minimum: a prefix is still a lower bound. */
export function truncateMin(value: Uint8Array, limit = COLUMN_INDEX_TRUNCATE): Uint8Array {
  return value.length <= limit ? value : value.subarray(0, limit)
}

/** Truncate a maximum and round it up so it stays an upper bound (untruncated if that is impossible). */
export function truncateMax(value: Uint8Array, limit = COLUMN_INDEX_TRUNCATE): Uint8Array {
  if (value.length <= limit) return value
  const out = Uint8Array.prototype.slice.call(value, 0, limit)
  for (let i = limit - 1; i >= 0; i--) {
    if (out[i]! !== 0xff) {
      out[i]!++
      return out.subarray(0, i + 1)
    }
  }
  return value
}
