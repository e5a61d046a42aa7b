import type { PageHeader } from 'hyparquet'
import { crc32 } from 'node:zlib'

/**
 * Check a page body against the CRC32 its header declares (parquet-go, and so Tempo, writes one for every
 * page). Parquet values carry no other check: a flipped byte in a page would otherwise decode into a
 * different span name or time and be reported as the trace. Pages without a CRC are taken as they are.
 */
export function checkPageCrc(header: PageHeader, body: Uint8Array, column: string): void {
  if (header.crc === undefined || header.crc === null) return
  if ((crc32(body) | 0) !== (header.crc | 0)) throw new Error(`parquet page of ${column} fails its CRC32 check: the block's bytes are corrupted`)
}
