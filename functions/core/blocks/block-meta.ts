/**
 * A block's `meta.json` (or a tenant-index entry), normalised. Parsing lives in `blocks/`;
 * this type is shared by discovery, planning, reading and the manifest.
 */

/** One dedicated-column assignment as stored in the meta (`s`/`t` already defaulted). */
export interface DedicatedColumn {
  /** Attribute name. */
  name: string
  scope: 'span' | 'resource' | 'event'
  type: 'string' | 'int'
  options: string[]
}

/** Normalised block metadata. Times are unix nanoseconds as bigint (RFC 3339 nano in the JSON). */
export interface BlockMeta {
  format: string
  blockId: string
  tenantId: string
  startTimeUnixNano: bigint
  endTimeUnixNano: bigint
  totalObjects: number
  /** Bytes of `data.parquet` (0 when the meta omits it). */
  size: number
  compactionLevel: number
  /** Legacy: equals the row-group count, or one more; never relied on. */
  totalRecords: number
  /** Number of `bloom-N` objects; the meta's 0/absent already mapped to Tempo's legacy 10. */
  bloomShards: number
  /** Length of the parquet thrift footer; 0 when unknown (read the 8-byte trailer first). */
  footerSize: number
  dedicatedColumns: DedicatedColumn[]
  replicationFactor: number
  /** Set for `meta.compacted.json` blocks and tenant-index `compacted` entries. */
  compactedTime?: Date
}
