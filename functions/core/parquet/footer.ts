import { parquetMetadata, parquetSchema, type FileMetaData, type SchemaTree } from 'hyparquet'
import { CorruptBlockError, StorageError, describeError } from '../contract/errors.js'
import type { ObjectStore } from '../storage/object-store.js'
import { latin1StatParsers } from './latin1.js'

/** Which object a parquet read is about (for error messages and keys). */
export interface ParquetObjectRef {
  store: ObjectStore
  key: string
  tenant: string
  blockId: string
  signal?: AbortSignal
}

/** A parsed parquet footer with its schema tree. */
export interface ParquetFooter {
  metadata: FileMetaData
  schema: SchemaTree
  fileSize: number
  /** Offset of the thrift FileMetaData (everything before it is pages and page indexes). */
  metadataStart: number
}

const TRAILER_BYTES = 8
const MAGIC = 0x31524150 // "PAR1" little-endian

/**
 * Read and parse the footer in one ranged GET `[size - 8 - footerSize, size)` when the meta knows both
 * sizes (Tempo short-circuits the same way); otherwise HEAD for the size and/or read the 8-byte trailer
 * first. BYTE_ARRAY statistics are decoded as latin1 so binary TraceID bounds stay lossless.
 */
export async function readParquetFooter(ref: ParquetObjectRef, size: number, footerSize: number): Promise<ParquetFooter> {
  const corrupt = (reason: string, cause?: unknown) =>
    new CorruptBlockError(ref.tenant, ref.blockId, `data.parquet ${reason}`, cause === undefined ? undefined : { cause })
  const fileSize = size > 0 ? size : (await ref.store.head(ref.key)).size
  if (fileSize < 12) throw corrupt(`is too short (${fileSize} bytes)`)
  let metadataLength = footerSize
  let tail: Uint8Array | undefined
  if (metadataLength <= 0) {
    ref.signal?.throwIfAborted()
    tail = await ref.store.get(ref.key, { start: fileSize - TRAILER_BYTES, end: fileSize })
    checkTrailer(tail, corrupt)
    metadataLength = new DataView(tail.buffer, tail.byteOffset, tail.byteLength).getUint32(0, true)
  }
  const metadataStart = fileSize - TRAILER_BYTES - metadataLength
  if (metadataStart < 4) throw corrupt(`footer length ${metadataLength} does not fit a file of ${fileSize} bytes`)
  ref.signal?.throwIfAborted()
  let bytes: Uint8Array
  try {
    bytes = await ref.store.get(ref.key, { start: metadataStart, end: fileSize })
  } catch (error) {
    // A range past the end (S3 416) means the object is shorter than the meta says: a truncated block.
    if (error instanceof StorageError && size > 0) {
      const actual = await ref.store.head(ref.key).catch(() => undefined)
      if (actual && actual.size < fileSize) throw corrupt(`is truncated: ${actual.size} bytes, meta says ${fileSize}`, error)
    }
    throw error
  }
  if (bytes.length !== fileSize - metadataStart) throw corrupt(`is truncated: read ${bytes.length} footer bytes of ${fileSize - metadataStart}`)
  checkTrailer(bytes, corrupt)
  const storedLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(bytes.length - TRAILER_BYTES, true)
  if (storedLength !== metadataLength) throw corrupt(`footer length is ${storedLength}, meta says ${metadataLength}`)
  let metadata: FileMetaData
  try {
    metadata = parquetMetadata(bytes, { parsers: latin1StatParsers })
  } catch (error) {
    throw corrupt(`footer does not decode: ${describeError(error)}`, error)
  }
  return { metadata, schema: parquetSchema(metadata), fileSize, metadataStart }
}

function checkTrailer(bytes: Uint8Array, corrupt: (reason: string) => Error): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length < TRAILER_BYTES || view.getUint32(bytes.length - 4, true) !== MAGIC) {
    throw corrupt('has no PAR1 trailer (truncated or not parquet)')
  }
}
