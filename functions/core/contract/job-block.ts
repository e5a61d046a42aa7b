import type { BlockMeta, DedicatedColumn } from '../blocks/block-meta.js'
import type { JobBlock } from './types.js'

/** Make a block's metadata JSON-safe for a reader job. */
export function metaToJobBlock(meta: BlockMeta): JobBlock {
  const block: JobBlock = {
    blockId: meta.blockId,
    format: meta.format,
    size: meta.size,
    footerSize: meta.footerSize,
    bloomShards: meta.bloomShards,
    totalObjects: meta.totalObjects,
    totalRecords: meta.totalRecords,
    compactionLevel: meta.compactionLevel,
    replicationFactor: meta.replicationFactor,
    dedicatedColumns: meta.dedicatedColumns,
    startTime: meta.startTimeUnixNano.toString(),
    endTime: meta.endTimeUnixNano.toString(),
  }
  if (meta.compactedTime) block.compactedTime = meta.compactedTime.toISOString()
  return block
}

/** Turn a job's block back into `BlockMeta` (inverse of `metaToJobBlock`). */
export function jobBlockToMeta(block: JobBlock, tenant: string): BlockMeta {
  const meta: BlockMeta = {
    format: block.format,
    blockId: block.blockId,
    tenantId: tenant,
    startTimeUnixNano: BigInt(block.startTime),
    endTimeUnixNano: BigInt(block.endTime),
    totalObjects: block.totalObjects,
    size: block.size,
    compactionLevel: block.compactionLevel,
    totalRecords: block.totalRecords,
    bloomShards: block.bloomShards,
    footerSize: block.footerSize,
    dedicatedColumns: block.dedicatedColumns as DedicatedColumn[],
    replicationFactor: block.replicationFactor,
  }
  if (block.compactedTime !== undefined) meta.compactedTime = new Date(block.compactedTime)
  return meta
}
