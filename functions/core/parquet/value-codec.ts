import type { DecodedArray } from 'hyparquet'
import { convert } from 'hyparquet/src/convert.js'
import { columnDecoder, type ColumnDecoder, type LeafColumn } from './columns.js'

/**
 * Turns one raw parquet value into the JS value `parquetReadObjects({ utf8: false })` gives for the leaf:
 * STRING/UTF8 bytes as text, other byte arrays as bytes (copied, so a value never pins the page it came
 * from), INT64 as bigint (unsigned when annotated so), INT32 as number, BOOLEAN as boolean. Annotations
 * this reader has no fast path for (decimals, timestamps, dates, JSON, UUID, FLOAT16, INT96, ...) go
 * through hyparquet's own `convert`, one value at a time.
 */
export interface ValueCodec {
  /** A BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY value held in `source[start, end)`. */
  bytes(source: Uint8Array, start: number, end: number): unknown
  /** An INT32 value. */
  int32(value: number): unknown
  /** An INT64 value given as its low and high 32 bits. */
  int64(lo: number, hi: number): unknown
  /** A FLOAT or DOUBLE value. */
  float(value: number): unknown
  /** A BOOLEAN value. */
  boolean(value: boolean): unknown
  /** An INT96 value given as its 12 bytes. */
  int96(source: Uint8Array, start: number): unknown
}

const halves = new Int32Array(2)
const signed64 = new BigInt64Array(halves.buffer)
const unsigned64 = new BigUint64Array(halves.buffer)
// The halves trick below assumes little-endian typed arrays (every platform Node runs on).
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('parquet value codec needs a little-endian platform')

const textDecoder = new TextDecoder()

/** UTF-8 bytes to text exactly as TextDecoder does (BOM dropped, bad sequences replaced); ASCII directly. */
export function utf8Text(source: Uint8Array, start: number, end: number): string {
  if (end - start <= 32) {
    let ascii = ''
    for (let i = start; i < end; i++) {
      const byte = source[i]!
      if (byte >= 0x80) return textDecoder.decode(source.subarray(start, end))
      ascii += String.fromCharCode(byte)
    }
    return ascii
  }
  return textDecoder.decode(source.subarray(start, end))
}

const identity = <T>(value: T): T => value

const plain: ValueCodec = {
  bytes: (source, start, end) => source.slice(start, end),
  int32: identity,
  int64: (lo, hi) => {
    halves[0] = lo
    halves[1] = hi
    return signed64[0]
  },
  float: identity,
  boolean: identity,
  int96: (source, start) => int96(source, start),
}

const strings: ValueCodec = { ...plain, bytes: utf8Text }

const unsigned: ValueCodec = {
  ...plain,
  int32: (value) => value >>> 0,
  int64: (lo, hi) => {
    halves[0] = lo
    halves[1] = hi
    return unsigned64[0]
  },
}

/** hyparquet's conversion of a single raw value (what its page decoders would have produced for it). */
function generic(decoder: ColumnDecoder): ValueCodec {
  const one = (raw: unknown) => convert([raw] as DecodedArray, decoder)[0]
  return {
    bytes: (source, start, end) => one(source.slice(start, end)),
    int32: one,
    int64: (lo, hi) => one(plain.int64(lo, hi)),
    float: one,
    boolean: one,
    int96: (source, start) => one(int96(source, start)),
  }
}

/** INT96 as hyparquet's readPlain returns it: the high 32 bits (signed) above the low 64 (signed). */
function int96(source: Uint8Array, start: number): bigint {
  const view = new DataView(source.buffer, source.byteOffset + start, 12)
  return (BigInt(view.getInt32(8, true)) << 64n) | view.getBigInt64(0, true)
}

const GENERIC_CONVERTED = new Set(['DECIMAL', 'DATE', 'TIME_MILLIS', 'TIME_MICROS', 'TIMESTAMP_MILLIS', 'TIMESTAMP_MICROS', 'JSON', 'BSON', 'INTERVAL'])
const GENERIC_LOGICAL = new Set(['GEOMETRY', 'GEOGRAPHY', 'UUID', 'FLOAT16', 'TIMESTAMP', 'DECIMAL', 'DATE', 'TIME', 'JSON', 'BSON'])

const codecs = new WeakMap<LeafColumn, ValueCodec>()

/** The codec of a leaf (chosen once per leaf, mirroring the order of hyparquet's `convert`). */
export function valueCodecOf(leaf: LeafColumn): ValueCodec {
  let codec = codecs.get(leaf)
  if (!codec) {
    codec = chooseCodec(leaf)
    codecs.set(leaf, codec)
  }
  return codec
}

function chooseCodec(leaf: LeafColumn): ValueCodec {
  const element = leaf.schemaPath.at(-1)!.element
  const { type, converted_type: converted, logical_type: logical } = element
  // hyparquet leaves FILE inline data and un-annotated bytes inside a VARIANT raw, before anything else.
  const parent = leaf.schemaPath.at(-2)?.element.logical_type?.type
  const inVariant = leaf.schemaPath.some((node) => node.element.logical_type?.type === 'VARIANT')
  const isString = converted === 'UTF8' || logical?.type === 'STRING'
  if (type === 'BYTE_ARRAY' && ((element.name === 'inline' && parent === 'FILE') || (inVariant && !isString))) return plain
  if ((converted && GENERIC_CONVERTED.has(converted)) || (logical && GENERIC_LOGICAL.has(logical.type)) || (!converted && type === 'INT96')) {
    return generic(columnDecoder(leaf, 'UNCOMPRESSED'))
  }
  if (isString) return strings
  if (converted === 'UINT_64' || converted === 'UINT_32') return unsigned
  if (logical?.type === 'INTEGER' && !logical.isSigned && (logical.bitWidth === 64 || logical.bitWidth === 32)) return unsigned
  return plain
}
