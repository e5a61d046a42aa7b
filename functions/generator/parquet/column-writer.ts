import { crc32 } from 'node:zlib'
import { ByteSink } from './byte-sink.js'
import { compress } from './codecs.js'
import { Encoding, PageType } from './parquet-enums.js'
import { encodeDataPageV2Header, encodeDictionaryPageHeader, type PageStatistics } from './page-header.js'
import type { FinishedChunk, PageRecord } from './chunk-types.js'
import { addHistogram, histogram, statBytes, statLess, writeU32At, type Stat } from './page-values.js'
import { bitWidth, writeRleHybrid } from './rle-hybrid.js'
import type { Codec, LeafColumn } from './schema.js'
import { encodePageValues, plainColumnEncoding } from './value-encoding.js'

/**
 * Buffers one leaf column of the current row group: values and levels of the open page, the encoded
 * pages so far, the dictionary, statistics and page-index entries. Pages are cut only at row ends.
 */

/** Writer of one column chunk at a time (reset after each row group). */
export class ColumnWriter {
  readonly column: LeafColumn
  private readonly codec: Codec
  private readonly dict: boolean
  private readonly unsigned: boolean
  private readonly pageBytes: number
  /** Buffered bytes of one value's levels (parquet-go keeps one byte per level it stores). */
  private readonly levelBytes: number

  // open page
  private levels = 0
  private reps = new Uint8Array(1024)
  private defs = new Uint8Array(1024)
  private count = 0
  private nums = new Float64Array(256)
  private bigs = new BigInt64Array(0)
  private lens = new Int32Array(0)
  private data = new ByteSink(4096)
  private pageNulls = 0
  private pageUnencoded = 0
  private pageRows = 0
  private buffered = 0
  private pageMin: Stat | undefined
  private pageMax: Stat | undefined
  // dictionary indices seen in the open page (their min/max is computed when the page is cut)
  private pageStamp = new Int32Array(256)
  private pageId = 1
  private pageDistinct: number[] = []

  // chunk
  private chunk = new ByteSink(4096)
  private chunkRows = 0
  private chunkValues = 0
  private chunkNulls = 0
  private chunkUnencoded = 0
  private chunkRepHistogram: number[] | undefined
  private chunkDefHistogram: number[] | undefined
  private chunkUncompressed = 0
  private chunkMin: Stat | undefined
  private chunkMax: Stat | undefined
  private pages: PageRecord[] = []
  private dictIndex = new Map<string, number>()
  private dictValues: string[] = []
  private dictLengths: number[] = []
  private dictBytes = new ByteSink(1024)

  /** Append a value with its levels. */
  readonly push: (value: unknown, rep: number, def: number) => void

  constructor(column: LeafColumn, pageBytes: number) {
    this.column = column
    this.codec = column.options.codec ?? 'UNCOMPRESSED'
    this.dict = column.options.dict === true
    this.unsigned = column.node.annotation === 'UINT32' || column.node.annotation === 'UINT64'
    this.pageBytes = pageBytes
    this.levelBytes = (column.maxRep > 0 ? 1 : 0) + (column.maxDef > 0 ? 1 : 0)
    const addValue = this.valueAppender()
    this.push = (value, rep, def) => {
      const n = this.levels
      if (n === this.reps.length) this.growLevels()
      this.reps[n] = rep
      this.defs[n] = def
      this.levels = n + 1
      addValue(value)
    }
  }

  /** Bytes this chunk holds so far (encoded pages plus the open page's buffered size). */
  get estimatedSize(): number {
    return this.chunk.length + this.buffered + this.dictBytes.length
  }

  private growLevels(): void {
    const reps = new Uint8Array(this.reps.length * 2)
    reps.set(this.reps)
    this.reps = reps
    const defs = new Uint8Array(this.defs.length * 2)
    defs.set(this.defs)
    this.defs = defs
  }

  private growNums(): void {
    const next = new Float64Array(this.nums.length * 2)
    next.set(this.nums)
    this.nums = next
  }

  private stat(stat: Stat): void {
    if (this.pageMin === undefined) {
      this.pageMin = stat
      this.pageMax = stat
      return
    }
    if (stat !== this.pageMin && statLess(stat, this.pageMin)) this.pageMin = stat
    else if (stat !== this.pageMax && statLess(this.pageMax!, stat)) this.pageMax = stat
  }

  /** The per-type value appender (chosen once, so `push` has no type switch). */
  private valueAppender(): (value: unknown) => void {
    const col = this.column
    switch (col.type) {
      case 'BYTE_ARRAY':
        if (this.dict) {
          return (value) => {
            const s = value as string
            let idx = this.dictIndex.get(s)
            if (idx === undefined) idx = this.addToDictionary(s)
            if (this.count === this.nums.length) this.growNums()
            this.nums[this.count++] = idx
            this.buffered += 4 + this.levelBytes
            this.pageUnencoded += this.dictLengths[idx]!
            if (this.pageStamp[idx] !== this.pageId) {
              this.pageStamp[idx] = this.pageId
              this.pageDistinct.push(idx)
            }
          }
        }
        this.lens = new Int32Array(256)
        return (value) => {
          if (this.count === this.lens.length) {
            const next = new Int32Array(this.lens.length * 2)
            next.set(this.lens)
            this.lens = next
          }
          if (typeof value === 'string') {
            const n = this.data.utf8(value)
            this.lens[this.count++] = n
            this.pageUnencoded += n
            this.buffered += n + 4 + this.levelBytes
          } else {
            const b = value as Uint8Array
            this.data.bytes(b)
            this.lens[this.count++] = b.length
            this.pageUnencoded += b.length
            this.buffered += b.length + 4 + this.levelBytes
          }
          this.stat(value as string | Uint8Array)
        }
      case 'INT64':
        this.bigs = new BigInt64Array(256)
        return (value) => {
          if (this.count === this.bigs.length) {
            const next = new BigInt64Array(this.bigs.length * 2)
            next.set(this.bigs)
            this.bigs = next
          }
          const v = value as bigint
          this.bigs[this.count++] = v
          this.buffered += 8 + this.levelBytes
          // Rows hold signed values for signed columns already; only unsigned ones need re-reading.
          this.stat(this.unsigned ? BigInt.asUintN(64, v) : v)
        }
      case 'INT32':
        return (value) => {
          if (this.count === this.nums.length) this.growNums()
          const v = value as number
          this.nums[this.count++] = v | 0
          this.buffered += 4 + this.levelBytes
          this.stat(this.unsigned ? v >>> 0 : v | 0)
        }
      case 'DOUBLE':
        return (value) => {
          if (this.count === this.nums.length) this.growNums()
          const v = value as number
          this.nums[this.count++] = v
          this.buffered += 8 + this.levelBytes
          if (!Number.isNaN(v)) this.stat(v)
        }
      case 'BOOLEAN':
        return (value) => {
          if (this.count === this.nums.length) this.growNums()
          this.nums[this.count++] = value ? 1 : 0
          this.buffered += 1 + this.levelBytes
          this.stat(value ? 1 : 0)
        }
    }
  }

  private addToDictionary(s: string): number {
    const idx = this.dictValues.length
    this.dictIndex.set(s, idx)
    this.dictValues.push(s)
    const at = this.dictBytes.length
    this.dictBytes.uint32(0)
    const length = this.dictBytes.utf8(s)
    writeU32At(this.dictBytes, at, length)
    this.dictLengths.push(length)
    if (idx >= this.pageStamp.length) {
      const next = new Int32Array(this.pageStamp.length * 2)
      next.set(this.pageStamp)
      this.pageStamp = next
    }
    return idx
  }

  /** Append a null (or an empty list) at these levels. */
  pushNull(rep: number, def: number): void {
    const n = this.levels
    if (n === this.reps.length) this.growLevels()
    this.reps[n] = rep
    this.defs[n] = def
    this.levels = n + 1
    this.pageNulls++
    this.buffered += this.levelBytes
  }

  /** A row ended: cut the page if it reached the target size. */
  endRow(): void {
    this.pageRows++
    if (this.buffered >= this.pageBytes) this.flushPage()
  }

  /** Encode the open page into the chunk. */
  flushPage(): void {
    const levels = this.levels
    if (levels === 0) return
    if (this.dict) {
      for (const idx of this.pageDistinct) this.stat(this.dictValues[idx]!)
      this.pageDistinct = []
      this.pageId++
    }
    const col = this.column
    const repSink = new ByteSink(64)
    if (col.maxRep > 0) writeRleHybrid(repSink, this.reps, levels, bitWidth(col.maxRep))
    const defSink = new ByteSink(64)
    if (col.maxDef > 0) writeRleHybrid(defSink, this.defs, levels, bitWidth(col.maxDef))
    const values = new ByteSink(Math.max(64, this.buffered))
    const count = levels - this.pageNulls
    const dictSize = this.dict ? this.dictValues.length : undefined
    const encoding = encodePageValues(values, col, dictSize, { nums: this.nums, bigs: this.bigs, lens: this.lens, data: this.data.view(), count })
    const raw = values.view()
    // Tempo's files store dictionary-index pages raw even in compressed chunks.
    const compressed = this.codec !== 'UNCOMPRESSED' && !this.dict
    const body = compressed ? compress(this.codec, raw) : raw
    const stats: PageStatistics = { nullCount: this.pageNulls }
    if (this.pageMin !== undefined) {
      stats.min = statBytes(col.type, this.pageMin)
      stats.max = statBytes(col.type, this.pageMax!)
    }
    const pageData = new ByteSink(repSink.length + defSink.length + body.length)
    pageData.bytes(repSink.view())
    pageData.bytes(defSink.view())
    pageData.bytes(body)
    const header = encodeDataPageV2Header({
      uncompressedSize: repSink.length + defSink.length + raw.length,
      compressedSize: pageData.length,
      crc: crc32(pageData.view()) | 0,
      numValues: levels,
      numNulls: this.pageNulls,
      numRows: this.pageRows,
      encoding,
      defLength: defSink.length,
      repLength: repSink.length,
      isCompressed: compressed,
      statistics: stats,
    })
    const offset = this.chunk.length
    this.chunk.bytes(header)
    this.chunk.bytes(pageData.view())
    const nullPage = count === 0
    this.pages.push({
      offset,
      compressedSize: header.length + pageData.length,
      firstRowIndex: this.chunkRows,
      nullPage,
      min: stats.min && !col.options.noStats ? stats.min : new Uint8Array(0),
      max: stats.max && !col.options.noStats ? stats.max : new Uint8Array(0),
      nullCount: this.pageNulls,
      ...(col.maxRep > 0 ? { repHistogram: histogram(this.reps, levels, col.maxRep) } : {}),
      ...(col.maxDef > 0 ? { defHistogram: histogram(this.defs, levels, col.maxDef) } : {}),
    })
    const page = this.pages[this.pages.length - 1]!
    if (page.repHistogram) this.chunkRepHistogram = addHistogram(this.chunkRepHistogram, page.repHistogram)
    if (page.defHistogram) this.chunkDefHistogram = addHistogram(this.chunkDefHistogram, page.defHistogram)
    this.chunkUnencoded += this.pageUnencoded
    this.pageUnencoded = 0
    this.chunkUncompressed += header.length + repSink.length + defSink.length + raw.length
    this.chunkRows += this.pageRows
    this.chunkValues += levels
    this.chunkNulls += this.pageNulls
    if (this.pageMin !== undefined) {
      if (this.chunkMin === undefined || statLess(this.pageMin, this.chunkMin)) this.chunkMin = this.pageMin
      if (this.chunkMax === undefined || statLess(this.chunkMax, this.pageMax!)) this.chunkMax = this.pageMax
    }
    this.levels = 0
    this.count = 0
    this.data.clear()
    this.pageNulls = 0
    this.pageRows = 0
    this.buffered = 0
    this.pageMin = undefined
    this.pageMax = undefined
  }

  /** Close the chunk: dictionary page first, then the data pages. Resets the writer for the next row group. */
  finishChunk(): FinishedChunk {
    this.flushPage()
    const col = this.column
    const parts = new ByteSink(this.chunk.length + this.dictBytes.length + 64)
    let dataPageOffset = 0
    let uncompressed = this.chunkUncompressed
    const encodingStats: FinishedChunk['encodingStats'] = []
    const encodings = new Set<number>()
    if (this.dict) {
      const raw = this.dictBytes.view()
      const body = compress(this.codec, raw)
      const header = encodeDictionaryPageHeader({
        uncompressedSize: raw.length,
        compressedSize: body.length,
        crc: crc32(body) | 0,
        numValues: this.dictValues.length,
        encoding: Encoding.PLAIN,
      })
      parts.bytes(header)
      parts.bytes(body)
      dataPageOffset = parts.length
      uncompressed += header.length + raw.length
      encodingStats.push({ pageType: PageType.DICTIONARY_PAGE, encoding: Encoding.PLAIN, count: 1 })
      encodingStats.push({ pageType: PageType.DATA_PAGE_V2, encoding: Encoding.RLE_DICTIONARY, count: this.pages.length })
      encodings.add(Encoding.PLAIN).add(Encoding.RLE_DICTIONARY)
    } else {
      const enc = plainColumnEncoding(col)
      encodingStats.push({ pageType: PageType.DATA_PAGE_V2, encoding: enc, count: this.pages.length })
      encodings.add(enc)
    }
    if (col.maxDef > 0 || col.maxRep > 0) encodings.add(Encoding.RLE)
    parts.bytes(this.chunk.view())
    const pages = this.pages.map((p) => ({ ...p, offset: p.offset + dataPageOffset }))
    const result: FinishedChunk = {
      bytes: parts.toBytes(),
      compressedSize: parts.length,
      dataPageOffset,
      hasDictionary: this.dict,
      numValues: this.chunkValues,
      uncompressedSize: uncompressed,
      encodings: [...encodings].sort((a, b) => a - b),
      encodingStats,
      nullCount: this.chunkNulls,
      pages,
      // parquet-go reports unencoded bytes only for plain (non-dictionary) byte-array chunks, and not when zero.
      ...(col.type === 'BYTE_ARRAY' && !this.dict && this.chunkUnencoded > 0 ? { unencodedBytes: this.chunkUnencoded } : {}),
      ...(this.chunkRepHistogram ? { repHistogram: this.chunkRepHistogram } : {}),
      ...(this.chunkDefHistogram ? { defHistogram: this.chunkDefHistogram } : {}),
    }
    if (this.chunkMin !== undefined && !col.options.noStats) {
      result.min = statBytes(col.type, this.chunkMin)
      result.max = statBytes(col.type, this.chunkMax!)
    }
    this.chunk.clear()
    this.chunkRows = 0
    this.chunkValues = 0
    this.chunkNulls = 0
    this.chunkUnencoded = 0
    this.chunkRepHistogram = undefined
    this.chunkDefHistogram = undefined
    this.chunkUncompressed = 0
    this.chunkMin = undefined
    this.chunkMax = undefined
    this.pages = []
    this.dictIndex = new Map()
    this.dictValues = []
    this.dictLengths = []
    this.dictBytes.clear()
    this.pageStamp.fill(0)
    this.pageId = 1
    return result
  }
}

