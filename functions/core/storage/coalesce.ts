import { StorageError } from '../contract/errors.js'
import type { ByteRange, ObjectStore } from './object-store.js'

/** Default gap below which two ranges are fetched as one: a few KiB more is cheaper than one more GET. */
export const DEFAULT_COALESCE_GAP_BYTES = 64 * 1024

/**
 * Merge ranges that overlap, touch, or lie closer than `gapBytes` apart, ascending. Empty ranges vanish.
 * Pure: the read plan is data.
 */
export function coalesceRanges(ranges: readonly ByteRange[], gapBytes = DEFAULT_COALESCE_GAP_BYTES): ByteRange[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start || a.end - b.end)
  const merged: ByteRange[] = []
  for (const range of sorted) {
    const last = merged.at(-1)
    if (last && range.start - last.end <= gapBytes) {
      last.end = Math.max(last.end, range.end)
    } else {
      merged.push({ ...range })
    }
  }
  return merged
}

/** Bytes of several fetched ranges of one object, addressed by absolute offsets. */
export class FetchedRanges {
  private readonly pieces: { start: number; bytes: Uint8Array }[] = []

  constructor(readonly key: string) {}

  /** Add the bytes of a range fetched at `start`. */
  add(start: number, bytes: Uint8Array): void {
    this.pieces.push({ start, bytes })
  }

  /** True when `[start, end)` lies inside one fetched piece. */
  has(start: number, end: number): boolean {
    return this.find(start, end) !== undefined
  }

  /** The bytes `[start, end)` without copying; throws when they were not fetched (a planning bug or a short read). */
  read(start: number, end: number): Uint8Array {
    const piece = this.find(start, end)
    if (!piece) throw new StorageError(this.key, `bytes [${start}, ${end}) were not fetched or the object is shorter`)
    return piece.bytes.subarray(start - piece.start, end - piece.start)
  }

  /** Let go of every piece `keep` rejects (its bytes are fetched again if a later read needs them). */
  release(keep: (start: number, end: number) => boolean): void {
    let kept = 0
    for (const piece of this.pieces) if (keep(piece.start, piece.start + piece.bytes.length)) this.pieces[kept++] = piece
    this.pieces.length = kept
  }

  /** Total bytes held. */
  get size(): number {
    return this.pieces.reduce((n, p) => n + p.bytes.length, 0)
  }

  private find(start: number, end: number): { start: number; bytes: Uint8Array } | undefined {
    return this.pieces.find((p) => p.start <= start && end <= p.start + p.bytes.length)
  }
}

/**
 * Fetch `ranges` of one object with coalescing: one GET per merged range, all concurrently (one round trip).
 * Adds to `into` when given, so several rounds can share one lookup structure.
 */
export async function fetchCoalesced(
  store: ObjectStore,
  key: string,
  ranges: readonly ByteRange[],
  options: { gapBytes?: number; into?: FetchedRanges; signal?: AbortSignal } = {},
): Promise<FetchedRanges> {
  const into = options.into ?? new FetchedRanges(key)
  const wanted = ranges.filter((r) => !into.has(r.start, r.end))
  const merged = coalesceRanges(wanted, options.gapBytes ?? DEFAULT_COALESCE_GAP_BYTES)
  options.signal?.throwIfAborted()
  const results = await Promise.all(merged.map((range) => store.get(key, range)))
  results.forEach((bytes, i) => into.add(merged[i]!.start, bytes))
  return into
}
