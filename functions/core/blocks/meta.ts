import type { BlockMeta, DedicatedColumn } from './block-meta.js'
import { CorruptBlockError } from '../contract/errors.js'
import { goJsonString } from './go-json.js'
import { GO_ZERO_TIME_NS, formatRfc3339Nano, nanosToDate, parseRfc3339Nano } from './rfc3339.js'

/**
 * `meta.json` (spec §2): parse any meta Tempo ever wrote into the normalised `BlockMeta`, and write one back
 * byte-for-byte the way Tempo v3.0.3 does.
 */

export { formatRfc3339Nano } from './rfc3339.js'

/** Tempo's reader treats a missing/0 `bloomShards` as the legacy 10 shards. */
export const LEGACY_BLOOM_SHARDS = 10

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
const SCOPES = new Set<DedicatedColumn['scope']>(['span', 'resource', 'event'])
const TYPES = new Set<DedicatedColumn['type']>(['string', 'int'])

/** Options of `parseBlockMeta`. */
export interface ParseBlockMetaOptions {
  /** The meta came from `meta.compacted.json` (or a tenant index `compacted` entry). */
  compacted?: boolean
  /** LastModified of `meta.compacted.json`: Tempo's compacted time when the JSON has no `compactedTime`. */
  lastModified?: Date
  /** Tenant and block the meta was read for, to name them in errors. */
  location?: { tenant: string; blockId: string }
}

type Json = Record<string, unknown>

/** Parse and validate one meta object (already `JSON.parse`d). Throws `CorruptBlockError`. */
export function parseBlockMeta(json: unknown, options: ParseBlockMetaOptions = {}): BlockMeta {
  const fail = (problem: string): never => {
    const obj = isObject(json) ? json : {}
    const tenant = options.location?.tenant ?? (typeof obj.tenantID === 'string' ? obj.tenantID : 'unknown')
    const blockId = options.location?.blockId ?? (typeof obj.blockID === 'string' ? obj.blockID : 'unknown')
    throw new CorruptBlockError(tenant, blockId, `meta: ${problem}`)
  }
  if (!isObject(json)) return fail('not a JSON object')

  const str = (key: string): string => {
    const value = json[key]
    if (value === undefined || value === null) return ''
    if (typeof value !== 'string') return fail(`${key} is not a string`)
    return value
  }
  const uint = (key: string): number => {
    const value = json[key]
    if (value === undefined || value === null) return 0
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return fail(`${key} is not a non-negative integer`)
    return value
  }
  const time = (key: string): bigint => {
    const value = json[key]
    if (value === undefined || value === null) return GO_ZERO_TIME_NS
    if (typeof value !== 'string') return fail(`${key} is not a time string`)
    try {
      return parseRfc3339Nano(value)
    } catch (error) {
      return fail(`${key}: ${(error as Error).message}`)
    }
  }

  const format = str('format')
  if (format === '') fail('format is missing')
  const blockId = str('blockID').toLowerCase()
  if (!UUID.test(blockId)) fail(`blockID ${JSON.stringify(blockId)} is not a UUID`)

  const meta: BlockMeta = {
    format,
    blockId,
    tenantId: str('tenantID'),
    startTimeUnixNano: time('startTime'),
    endTimeUnixNano: time('endTime'),
    totalObjects: uint('totalObjects'),
    size: uint('size'),
    compactionLevel: uint('compactionLevel'),
    totalRecords: uint('totalRecords'),
    bloomShards: uint('bloomShards') || LEGACY_BLOOM_SHARDS,
    footerSize: uint('footerSize'),
    dedicatedColumns: parseDedicatedColumns(json.dedicatedColumns, fail),
    replicationFactor: uint('replicationFactor'),
  }
  if (json.compactedTime !== undefined && json.compactedTime !== null) {
    meta.compactedTime = nanosToDate(time('compactedTime'))
  } else if (options.compacted) {
    // No time known: Go's zero time, i.e. "compacted long ago".
    meta.compactedTime = options.lastModified ?? nanosToDate(GO_ZERO_TIME_NS)
  }
  return meta
}

/**
 * Dedicated columns with `s`/`t` defaulted. Entries with a scope or type no Tempo version knows are
 * dropped: no reader maps them to a column, so they never consume a slot (§5.7).
 */
export function parseDedicatedColumns(value: unknown, fail: (problem: string) => never = defaultFail): DedicatedColumn[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) return fail('dedicatedColumns is not an array')
  const columns: DedicatedColumn[] = []
  for (const entry of value) {
    if (!isObject(entry) || typeof entry.n !== 'string') return fail('dedicatedColumns entry without a name')
    const scope = entry.s === undefined || entry.s === '' ? 'span' : entry.s
    const type = entry.t === undefined || entry.t === '' ? 'string' : entry.t
    const options = entry.o === undefined || entry.o === null ? [] : entry.o
    if (!Array.isArray(options) || !options.every((o) => typeof o === 'string')) return fail(`dedicatedColumns ${entry.n}: o is not a list of strings`)
    if (!SCOPES.has(scope as DedicatedColumn['scope']) || !TYPES.has(type as DedicatedColumn['type'])) continue
    columns.push({ name: entry.n, scope: scope as DedicatedColumn['scope'], type: type as DedicatedColumn['type'], options: options as string[] })
  }
  return columns
}

/** Options of `serializeBlockMeta`. */
export interface SerializeBlockMetaOptions {
  /** Append `compactedTime` (tenant-index `compacted` entries; `meta.compacted.json` has none). */
  withCompactedTime?: boolean
  /** Legacy v2 field, not kept in `BlockMeta`; Tempo writes 0 for parquet blocks. */
  indexPageSize?: number
}

/** Tempo v3.0.3's exact `meta.json` bytes (Go `encoding/json` of the gogo struct, key order fixed). */
export function serializeBlockMeta(meta: BlockMeta, options: SerializeBlockMetaOptions = {}): string {
  const parts = [
    `"format":${goJsonString(meta.format)}`,
    `"blockID":${goJsonString(meta.blockId)}`,
    `"tenantID":${goJsonString(meta.tenantId)}`,
    `"startTime":"${formatRfc3339Nano(meta.startTimeUnixNano)}"`,
    `"endTime":"${formatRfc3339Nano(meta.endTimeUnixNano)}"`,
    `"totalObjects":${meta.totalObjects}`,
  ]
  if (meta.size !== 0) parts.push(`"size":${meta.size}`)
  parts.push(
    `"compactionLevel":${meta.compactionLevel}`,
    `"indexPageSize":${options.indexPageSize ?? 0}`,
    `"totalRecords":${meta.totalRecords}`,
    `"bloomShards":${meta.bloomShards}`,
    `"footerSize":${meta.footerSize}`,
  )
  if (meta.dedicatedColumns.length > 0) parts.push(`"dedicatedColumns":${serializeDedicatedColumns(meta.dedicatedColumns)}`)
  if (meta.replicationFactor !== 0) parts.push(`"replicationFactor":${meta.replicationFactor}`)
  if (options.withCompactedTime) {
    const compacted = meta.compactedTime ?? new Date(0)
    parts.push(`"compactedTime":"${formatRfc3339Nano(BigInt(compacted.getTime()) * 1_000_000n)}"`)
  }
  return `{${parts.join(',')}}`
}

/** The `dedicatedColumns` JSON array as Tempo writes it (`s` omitted for span, `t` for string, `o` when empty). */
export function serializeDedicatedColumns(columns: DedicatedColumn[]): string {
  const entries = columns.map((c) => {
    const fields: string[] = []
    if (c.scope !== 'span') fields.push(`"s":${goJsonString(c.scope)}`)
    fields.push(`"n":${goJsonString(c.name)}`)
    if (c.type !== 'string') fields.push(`"t":${goJsonString(c.type)}`)
    if (c.options.length > 0) fields.push(`"o":[${c.options.map(goJsonString).join(',')}]`)
    return `{${fields.join(',')}}`
  })
  return `[${entries.join(',')}]`
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function defaultFail(problem: string): never {
  throw new CorruptBlockError('unknown', 'unknown', `meta: ${problem}`)
}
