import { ByteSink } from './byte-sink.js'

/**
 * A Thrift compact-protocol writer, just enough for parquet's footer, page headers and page index:
 * structs, i32/i64, binary, bool and lists of those. Field headers use the short delta form.
 */

/** Compact-protocol type codes. */
export const TType = { TRUE: 1, FALSE: 2, BYTE: 3, I16: 4, I32: 5, I64: 6, DOUBLE: 7, BINARY: 8, LIST: 9, STRUCT: 12 } as const

const textEncoder = new TextEncoder()

/** Writes one thrift value tree; nested structs keep their own last-field-id. */
export class ThriftWriter {
  readonly out: ByteSink
  private lastField: number[] = [0]

  constructor(out = new ByteSink(256)) {
    this.out = out
  }

  private fieldHeader(id: number, type: number): void {
    const last = this.lastField[this.lastField.length - 1]!
    const delta = id - last
    if (delta > 0 && delta <= 15) this.out.byte((delta << 4) | type)
    else {
      this.out.byte(type)
      this.out.varint(zigzag32(id))
    }
    this.lastField[this.lastField.length - 1] = id
  }

  /** i32 field. */
  i32(id: number, value: number): this {
    this.fieldHeader(id, TType.I32)
    this.out.varint(zigzag32(value))
    return this
  }

  /** i8 field. */
  i8(id: number, value: number): this {
    this.fieldHeader(id, TType.BYTE)
    this.out.byte(value)
    return this
  }

  /** i16 field. */
  i16(id: number, value: number): this {
    this.fieldHeader(id, TType.I16)
    this.out.varint(zigzag32(value))
    return this
  }

  /** i64 field (number or bigint). */
  i64(id: number, value: number | bigint): this {
    this.fieldHeader(id, TType.I64)
    this.out.varintBig(zigzag64(BigInt(value)))
    return this
  }

  /** bool field (encoded in the field header). */
  bool(id: number, value: boolean): this {
    this.fieldHeader(id, value ? TType.TRUE : TType.FALSE)
    return this
  }

  /** binary field. */
  binary(id: number, value: Uint8Array): this {
    this.fieldHeader(id, TType.BINARY)
    this.out.varint(value.length)
    this.out.bytes(value)
    return this
  }

  /** string field (UTF-8 binary). */
  string(id: number, value: string): this {
    return this.binary(id, textEncoder.encode(value))
  }

  /** Begin a struct-valued field; end it with `end()`. */
  struct(id: number): this {
    this.fieldHeader(id, TType.STRUCT)
    this.lastField.push(0)
    return this
  }

  /** Begin a list field of `size` elements of `elemType`. */
  list(id: number, elemType: number, size: number): this {
    this.fieldHeader(id, TType.LIST)
    if (size < 15) this.out.byte((size << 4) | elemType)
    else {
      this.out.byte(0xf0 | elemType)
      this.out.varint(size)
    }
    return this
  }

  /** Begin a struct element inside a list; end it with `end()`. */
  listStruct(): this {
    this.lastField.push(0)
    return this
  }

  /** List element: i32. */
  elemI32(value: number): this {
    this.out.varint(zigzag32(value))
    return this
  }

  /** List element: i64. */
  elemI64(value: number | bigint): this {
    this.out.varintBig(zigzag64(BigInt(value)))
    return this
  }

  /** List element: bool (compact protocol: 1 true, 2 false). */
  elemBool(value: boolean): this {
    this.out.byte(value ? 1 : 2)
    return this
  }

  /** List element: binary. */
  elemBinary(value: Uint8Array): this {
    this.out.varint(value.length)
    this.out.bytes(value)
    return this
  }

  /** List element: string. */
  elemString(value: string): this {
    return this.elemBinary(textEncoder.encode(value))
  }

  /** End the current struct (writes the stop byte). */
  end(): this {
    this.out.byte(0)
    this.lastField.pop()
    return this
  }
}

function zigzag32(value: number): number {
  return ((value << 1) ^ (value >> 31)) >>> 0
}

function zigzag64(value: bigint): bigint {
  const v = BigInt.asIntN(64, value)
  return BigInt.asUintN(64, (v << 1n) ^ (v >> 63n))
}
