import type { BlockMeta } from './block-meta.js'
import { ProtoReader, ProtoWriter, WireType } from '../encoding/protobuf.js'
import { LEGACY_BLOOM_SHARDS, parseDedicatedColumns, serializeDedicatedColumns } from './meta.js'
import { dateToNanos, floorDivMod, nanosToDate } from './rfc3339.js'
import { traceIdToHex } from '../contract/trace-id.js'

/**
 * Protobuf `backend.v1` messages of the tenant index (spec §1.5): BlockMeta, CompactedBlockMeta,
 * TenantIndex, google.protobuf.Timestamp. Unknown and legacy fields (11 `encoding`, 14 `dataEncoding`)
 * are skipped.
 */

const NS_PER_SECOND = 1_000_000_000n
const textDecoder = new TextDecoder()

/** Decoded `TenantIndex` message, times still in nanoseconds. */
export interface TenantIndexMessage {
  createdAtUnixNano: bigint
  meta: BlockMeta[]
  compacted: BlockMeta[]
}

/** google.protobuf.Timestamp -> unix ns (negative seconds allowed, e.g. Go's zero time). */
export function decodeTimestamp(bytes: Uint8Array): bigint {
  const reader = new ProtoReader(bytes)
  let seconds = 0n
  let nanos = 0n
  while (reader.more) {
    const [field, wireType] = reader.tag()
    if (field === 1 && wireType === WireType.varint) seconds = reader.int64()
    else if (field === 2 && wireType === WireType.varint) nanos = BigInt.asIntN(32, reader.varint64())
    else reader.skip(wireType)
  }
  return seconds * NS_PER_SECOND + nanos
}

/** unix ns -> google.protobuf.Timestamp (nanos always in [0, 1e9)). */
export function encodeTimestamp(ns: bigint): Uint8Array {
  const [seconds, nanos] = floorDivMod(ns, NS_PER_SECOND)
  return new ProtoWriter().varintField(1, seconds).varintField(2, nanos).finish()
}

function uuidFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError(`block_id has ${bytes.length} bytes, expected 16`)
  const hex = traceIdToHex(bytes)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

function uuidToBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '')
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`block id ${JSON.stringify(uuid)} is not a UUID`)
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16))
}

// Blocks of a tenant mostly share one dedicated-column configuration: parse each distinct text once
// (a 1,000-block index spent a fifth of its decoding there). The lists are shared, never modified.
const dedicatedByText = new Map<string, BlockMeta['dedicatedColumns']>()

function dedicatedColumnsOf(json: Uint8Array): BlockMeta['dedicatedColumns'] {
  if (json.length === 0) return []
  const text = textDecoder.decode(json)
  let columns = dedicatedByText.get(text)
  if (columns === undefined) {
    columns = parseDedicatedColumns(JSON.parse(text))
    if (dedicatedByText.size >= 64) dedicatedByText.clear()
    dedicatedByText.set(text, columns)
  }
  return columns
}

/** Decode one `BlockMeta` message. */
export function decodeBlockMeta(bytes: Uint8Array): BlockMeta {
  const reader = new ProtoReader(bytes)
  const meta: BlockMeta = {
    format: '',
    blockId: '00000000-0000-0000-0000-000000000000',
    tenantId: '',
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    totalObjects: 0,
    size: 0,
    compactionLevel: 0,
    totalRecords: 0,
    bloomShards: 0,
    footerSize: 0,
    dedicatedColumns: [],
    replicationFactor: 0,
  }
  // proto3: an absent Timestamp is the Unix epoch, though Tempo always writes both.
  while (reader.more) {
    const [field, wireType] = reader.tag()
    const varint = wireType === WireType.varint
    const delimited = wireType === WireType.lengthDelimited
    if (field === 1 && delimited) meta.format = reader.strictString()
    else if (field === 2 && delimited) meta.blockId = uuidFromBytes(reader.delimited())
    else if (field === 5 && delimited) meta.tenantId = reader.strictString()
    else if (field === 6 && delimited) meta.startTimeUnixNano = decodeTimestamp(reader.delimited())
    else if (field === 7 && delimited) meta.endTimeUnixNano = decodeTimestamp(reader.delimited())
    else if (field === 8 && varint) meta.totalObjects = Number(reader.int64())
    else if (field === 9 && varint) meta.size = reader.varint()
    else if (field === 10 && varint) meta.compactionLevel = reader.uint32()
    else if (field === 13 && varint) meta.totalRecords = reader.uint32()
    else if (field === 15 && varint) meta.bloomShards = reader.uint32()
    else if (field === 16 && varint) meta.footerSize = reader.uint32()
    else if (field === 17 && delimited) meta.dedicatedColumns = dedicatedColumnsOf(reader.delimited())
    else if (field === 18 && varint) meta.replicationFactor = reader.uint32()
    else reader.skip(wireType)
  }
  meta.bloomShards ||= LEGACY_BLOOM_SHARDS
  return meta
}

/** Encode one `BlockMeta` message the way gogo-protobuf marshals it (field order, zero fields omitted). */
export function encodeBlockMeta(meta: BlockMeta): Uint8Array {
  const dedicated = meta.dedicatedColumns.length === 0 ? new Uint8Array() : new TextEncoder().encode(serializeDedicatedColumns(meta.dedicatedColumns))
  return new ProtoWriter()
    .stringField(1, meta.format)
    .bytesField(2, uuidToBytes(meta.blockId))
    .stringField(5, meta.tenantId)
    .bytesField(6, encodeTimestamp(meta.startTimeUnixNano))
    .bytesField(7, encodeTimestamp(meta.endTimeUnixNano))
    .varintField(8, meta.totalObjects)
    .varintField(9, meta.size)
    .varintField(10, meta.compactionLevel)
    .varintField(13, meta.totalRecords)
    .varintField(15, meta.bloomShards)
    .varintField(16, meta.footerSize)
    .bytesField(17, dedicated)
    .varintField(18, meta.replicationFactor)
    .finish()
}

/** Decode a `CompactedBlockMeta` message (meta + compacted time). */
export function decodeCompactedBlockMeta(bytes: Uint8Array): BlockMeta {
  const reader = new ProtoReader(bytes)
  let meta: BlockMeta | undefined
  let compactedNs = 0n
  while (reader.more) {
    const [field, wireType] = reader.tag()
    if (field === 1 && wireType === WireType.lengthDelimited) meta = decodeBlockMeta(reader.delimited())
    else if (field === 2 && wireType === WireType.lengthDelimited) compactedNs = decodeTimestamp(reader.delimited())
    else reader.skip(wireType)
  }
  return { ...(meta ?? decodeBlockMeta(new Uint8Array())), compactedTime: nanosToDate(compactedNs) }
}

/** Decode an uncompressed `TenantIndex` message. */
export function decodeTenantIndexMessage(bytes: Uint8Array): TenantIndexMessage {
  const reader = new ProtoReader(bytes)
  const index: TenantIndexMessage = { createdAtUnixNano: 0n, meta: [], compacted: [] }
  while (reader.more) {
    const [field, wireType] = reader.tag()
    if (field === 1 && wireType === WireType.lengthDelimited) index.createdAtUnixNano = decodeTimestamp(reader.delimited())
    else if (field === 2 && wireType === WireType.lengthDelimited) index.meta.push(decodeBlockMeta(reader.delimited()))
    else if (field === 3 && wireType === WireType.lengthDelimited) index.compacted.push(decodeCompactedBlockMeta(reader.delimited()))
    else reader.skip(wireType)
  }
  return index
}

/** Encode an uncompressed `TenantIndex` message. */
export function encodeTenantIndexMessage(createdAt: Date, meta: BlockMeta[], compacted: BlockMeta[]): Uint8Array {
  const writer = new ProtoWriter().bytesField(1, encodeTimestamp(dateToNanos(createdAt)))
  for (const m of meta) writer.bytesField(2, encodeBlockMeta(m))
  for (const c of compacted) {
    const entry = new ProtoWriter()
      .bytesField(1, encodeBlockMeta(c))
      .bytesField(2, encodeTimestamp(dateToNanos(c.compactedTime ?? new Date(0))))
      .finish()
    writer.bytesField(3, entry)
  }
  return writer.finish()
}
