/**
 * Defensive accessors for rows shaped like hyparquet's `parquetReadObjects({ utf8: false })` output.
 * Tempo readers resolve columns by name and treat missing columns as empty/zero, so every accessor
 * accepts `undefined`/`null` and returns the zero value instead of throwing.
 */

/** A parquet group as an object (missing or non-object => empty). */
export type Row = Record<string, unknown>

const EMPTY_ROW: Row = Object.freeze({}) as Row
const EMPTY_BYTES = new Uint8Array(0)
const textEncoder = new TextEncoder()
const textDecoder = new TextDecoder()

/** The nested group at `key`, or an empty group. */
export function group(row: Row, key: string): Row {
  const v = row[key]
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) ? (v as Row) : EMPTY_ROW
}

/** A repeated field (LIST-wrapped or plain repeated: hyparquet returns both as arrays); a lone value becomes a one-element list. */
export function list(row: Row, key: string): unknown[] {
  const v = row[key]
  if (Array.isArray(v)) return v
  return v === undefined || v === null ? [] : [v]
}

/** A repeated group as rows. */
export function groups(row: Row, key: string): Row[] {
  return list(row, key).filter((v): v is Row => v !== null && typeof v === 'object' && !(v instanceof Uint8Array))
}

/** A STRING leaf ('' when missing); bytes are decoded as UTF-8 in case a writer left the annotation off. */
export function str(row: Row, key: string): string {
  const v = row[key]
  if (typeof v === 'string') return v
  if (v instanceof Uint8Array) return textDecoder.decode(v)
  return ''
}

/** An optional STRING leaf: undefined when null or missing. */
export function optStr(row: Row, key: string): string | undefined {
  const v = row[key]
  if (v === null || v === undefined) return undefined
  return str(row, key)
}

/** A BYTE_ARRAY leaf as bytes (empty when missing); a string is taken as its UTF-8 bytes. */
export function bytes(row: Row, key: string): Uint8Array {
  const v = row[key]
  if (v instanceof Uint8Array) return v
  if (typeof v === 'string') return textEncoder.encode(v)
  return EMPTY_BYTES
}

/** An INT64/UINT64 leaf as bigint (0n when missing). */
export function big(row: Row, key: string): bigint {
  return toBigint(row[key]) ?? 0n
}

/** An optional INT64 leaf: undefined when null or missing. */
export function optBig(row: Row, key: string): bigint | undefined {
  return toBigint(row[key])
}

/** An INT32 leaf as a number (0 when missing). */
export function int(row: Row, key: string): number {
  const v = row[key]
  if (typeof v === 'number') return v
  if (typeof v === 'bigint') return Number(v)
  return 0
}

/** A BOOLEAN leaf (false when missing). */
export function bool(row: Row, key: string): boolean {
  return row[key] === true
}

/** Any integer-ish value as bigint, or undefined. */
export function toBigint(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v)
  return undefined
}

const U64 = (1n << 64n) - 1n

/** Unsigned 64-bit addition with wrap-around, as Go's uint64 arithmetic. */
export function addU64(a: bigint, b: bigint): bigint {
  return (a + b) & U64
}

/** A value of an unsigned INT64 column as uint64, whatever signedness the page decoder used. */
export function asU64(v: bigint): bigint {
  return v & U64
}
