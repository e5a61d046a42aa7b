import fc from 'fast-check'
import { parquetMetadata } from 'hyparquet'

/**
 * Hostile changes to one block's objects (issue 11): truncated files, wrong magic, footer lengths out of
 * range, `meta.json` lying about sizes, corrupted pages and dictionaries, page headers declaring huge
 * sizes, bloom shards of the wrong size. Each mutation is a pure function of the clean bytes.
 */

/** The clean objects of one block, by name (`data.parquet`, `bloom-0`, `meta.json`, ...). */
export type BlockObjects = Map<string, Uint8Array>

/** One mutation: which object, what was done, and the new bytes (undefined: the object is deleted). */
export interface Mutation {
  kind: string
  object: string
  apply(clean: BlockObjects): BlockObjects
}

/** Where the pages of `data.parquet` start (data and dictionary pages of every column chunk). */
export function pageOffsets(parquet: Uint8Array): number[] {
  const metadata = parquetMetadata(parquet.buffer.slice(parquet.byteOffset, parquet.byteOffset + parquet.byteLength) as ArrayBuffer)
  const offsets = new Set<number>()
  for (const group of metadata.row_groups) {
    for (const column of group.columns) {
      const meta = column.meta_data
      if (!meta) continue
      offsets.add(Number(meta.data_page_offset))
      if (meta.dictionary_page_offset !== undefined) offsets.add(Number(meta.dictionary_page_offset))
    }
  }
  return [...offsets].sort((a, b) => a - b)
}

const replace = (object: string, make: (bytes: Uint8Array) => Uint8Array | undefined) => (clean: BlockObjects) => {
  const out = new Map(clean)
  const next = make(clean.get(object)!)
  if (next === undefined) out.delete(object)
  else out.set(object, next)
  return out
}

function varint(value: number): number[] {
  const out: number[] = []
  let v = value
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80)
    v = Math.floor(v / 128)
  }
  out.push(v)
  return out
}

/** Length of the varint at `bytes[at]`. */
function varintLength(bytes: Uint8Array, at: number): number {
  let n = 0
  while (at + n < bytes.length && (bytes[at + n]! & 0x80) !== 0) n++
  return n + 1
}

/**
 * Rewrite field 2 or 3 (uncompressed / compressed page size) of the Thrift page header at `offset` to
 * `value`. A header starts `0x15 <type> 0x15 <uncompressed> 0x15 <compressed>` (compact protocol, i32s).
 */
function withPageSize(parquet: Uint8Array, offset: number, field: 2 | 3, value: number): Uint8Array {
  if (parquet[offset] !== 0x15 || parquet[offset + 2] !== 0x15) return parquet
  let at = offset + 3
  if (field === 3) {
    at += varintLength(parquet, at)
    if (parquet[at] !== 0x15) return parquet
    at += 1
  }
  const old = varintLength(parquet, at)
  const encoded = varint(value * 2) // zigzag of a positive i32
  const out = new Uint8Array(parquet.length - old + encoded.length)
  out.set(parquet.subarray(0, at))
  out.set(encoded, at)
  out.set(parquet.subarray(at + old), at + encoded.length)
  return out
}

function flip(bytes: Uint8Array, positions: number[], mask: number): Uint8Array {
  const out = bytes.slice()
  for (const p of positions) out[p % out.length] = out[p % out.length]! ^ (mask || 1)
  return out
}

function setTrailer(parquet: Uint8Array, footerLength: number): Uint8Array {
  const out = parquet.slice()
  new DataView(out.buffer).setUint32(out.length - 8, footerLength >>> 0, true)
  return out
}

function editMeta(meta: Uint8Array, edit: (json: Record<string, unknown>) => void): Uint8Array {
  const json = JSON.parse(new TextDecoder().decode(meta)) as Record<string, unknown>
  edit(json)
  return new TextEncoder().encode(JSON.stringify(json))
}

/** Every kind of mutation, as an arbitrary over the clean block (`pages`: its page offsets). */
export function blockMutations(sizes: { parquet: number; bloomShards: number }, pages: number[]): fc.Arbitrary<Mutation> {
  const data = 'data.parquet'
  const at = fc.nat({ max: sizes.parquet - 1 })
  const footerStart = Math.max(0, sizes.parquet - 4096)
  const bloom = fc.nat({ max: sizes.bloomShards - 1 }).map((i) => `bloom-${i}`)
  const m = (kind: string, object: string, apply: Mutation['apply']): Mutation => ({ kind, object, apply })
  return fc.oneof(
    { weight: 3, arbitrary: at.map((n) => m('truncated data.parquet', data, replace(data, (b) => b.subarray(0, n)))) },
    { weight: 1, arbitrary: fc.constantFrom('head', 'tail').map((where) => m('wrong magic', data, replace(data, (b) => flip(b, where === 'head' ? [0, 1, 2, 3] : [b.length - 4, b.length - 3, b.length - 2, b.length - 1], 0x20)))) },
    { weight: 2, arbitrary: fc.oneof(fc.constantFrom(0, 1, 0xffffffff, 0x7fffffff), fc.integer({ min: sizes.parquet - 8, max: sizes.parquet * 4 })).map((n) => m('footer length out of range', data, replace(data, (b) => setTrailer(b, n)))) },
    { weight: 6, arbitrary: fc.tuple(fc.array(fc.integer({ min: 4, max: footerStart }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 255 })).map(([p, mask]) => m('corrupted pages', data, replace(data, (b) => flip(b, p, mask)))) },
    { weight: 4, arbitrary: fc.tuple(fc.array(fc.integer({ min: footerStart, max: sizes.parquet - 9 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 255 })).map(([p, mask]) => m('corrupted footer', data, replace(data, (b) => flip(b, p, mask)))) },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.constantFrom(...pages), fc.constantFrom<2 | 3>(2, 3), fc.constantFrom(0x7fffffff, 0x40000000, 100_000_000, 0)).map(([page, field, value]) =>
        m(`page header declaring ${field === 2 ? 'an uncompressed' : 'a compressed'} size of ${value}`, data, replace(data, (b) => withPageSize(b, page, field, value))),
      ),
    },
    { weight: 2, arbitrary: fc.tuple(bloom, fc.constantFrom('empty', 'truncated', 'extended', 'header')).map(([object, how]) =>
      m(`bloom shard of the wrong size (${how})`, object, replace(object, (b) => (how === 'empty' ? new Uint8Array(0) : how === 'truncated' ? b.subarray(0, Math.floor(b.length / 2)) : how === 'extended' ? new Uint8Array([...b, ...new Uint8Array(64)]) : flip(b, [0, 1, 2, 3], 0x7f))))) },
    { weight: 1, arbitrary: fc.constantFrom(data, 'bloom-0').map((object) => m('object deleted', object, replace(object, () => undefined))) },
    {
      weight: 4,
      arbitrary: fc.oneof(
        fc.constantFrom(0, 8, 100, 1e15, -1).map((size) => ({ field: 'size', value: size })),
        fc.constantFrom(0, 1, 8, 1e9, -5).map((footer) => ({ field: 'footerSize', value: footer })),
        fc.constantFrom(0, 3, 1000, 1e9).map((shards) => ({ field: 'bloomShards', value: shards })),
        fc.constantFrom(0, 1e9).map((objects) => ({ field: 'totalObjects', value: objects })),
        fc.constantFrom('vParquet9', 'vParquet5-preview1', '', 42).map((format) => ({ field: 'format', value: format })),
        fc.constantFrom<unknown>('yesterday', null, 1e30, -1).map((t) => ({ field: 'startTime', value: t })),
        fc.constantFrom<unknown>([{ name: 'x' }], 'all', [{ scope: 'span', name: 'a', type: 'int' }]).map((d) => ({ field: 'dedicatedColumns', value: d })),
      ).map(({ field, value }) => m(`meta.json lying about ${field}`, 'meta.json', replace('meta.json', (b) => editMeta(b, (j) => (j[field] = value))))),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => m('meta.json replaced', 'meta.json', replace('meta.json', () => bytes))) },
  )
}
