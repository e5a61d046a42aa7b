/** What the column writer hands to the file writer: finished pages and chunks. */

/** A finished page as the page index sees it (offset relative to the chunk start). */
export interface PageRecord {
  offset: number
  compressedSize: number
  firstRowIndex: number
  nullPage: boolean
  min: Uint8Array
  max: Uint8Array
  nullCount: number
  /** Level histograms (present when the column's maximum level is above 0). */
  repHistogram?: number[]
  defHistogram?: number[]
}

/** A finished column chunk. */
export interface FinishedChunk {
  bytes: Uint8Array
  /** Length of `bytes` (kept when the bytes are released). */
  compressedSize: number
  /** Offset of the first data page within `bytes` (after the dictionary page). */
  dataPageOffset: number
  hasDictionary: boolean
  numValues: number
  uncompressedSize: number
  encodings: number[]
  encodingStats: { pageType: number; encoding: number; count: number }[]
  nullCount: number
  min?: Uint8Array
  max?: Uint8Array
  pages: PageRecord[]
  /** SizeStatistics: value bytes before encoding (BYTE_ARRAY only) and chunk level histograms. */
  unencodedBytes?: number
  repHistogram?: number[]
  defHistogram?: number[]
}

