import { join } from 'node:path'
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type SchemaTree } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { describe, expect, it } from 'vitest'
import type { BlockMeta } from '../../functions/core/blocks/block-meta.js'
import { UnsupportedFormatError } from '../../functions/core/contract/errors.js'
import { isPreviewFormat, isPreviewLayout, resolveFormat, supportedFormats, type TraceFormat } from '../../functions/core/formats/registry.js'
import { traceToJson } from '../../functions/core/otlp/json.js'
import { readMeta } from '../goldens/golden-records.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoBlocksDir, tempoGeneratedDir } from '../support/shared-fixtures.js'

/** The format registry: which formats resolve, and which columns each reader asks for. */

function meta(format: string): BlockMeta {
  return {
    format,
    blockId: 'b27b0e53-66a0-4505-afd6-434ae3cd4a10',
    tenantId: 'single-tenant',
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    totalObjects: 0,
    size: 0,
    compactionLevel: 0,
    totalRecords: 0,
    bloomShards: 1,
    footerSize: 0,
    dedicatedColumns: [],
    replicationFactor: 0,
  }
}

describe('resolveFormat', () => {
  it('reads the released formats and the vParquet5 previews', () => {
    expect(supportedFormats).toEqual(['vParquet2', 'vParquet3', 'vParquet4', 'vParquet5'])
    for (const f of [...supportedFormats, 'vparquet5', 'vParquet5-preview2', 'vParquet5-preview9']) expect(resolveFormat(meta(f)).name).toBe(f)
  })

  it('rejects everything else with a typed per-block error', () => {
    for (const f of ['v2', 'vParquet', 'vParquet1', 'vParquet4-preview1', 'VPARQUET4', 'vParquet6', '']) {
      const err = (() => {
        try {
          resolveFormat(meta(f))
        } catch (e) {
          return e
        }
        return undefined
      })()
      expect(err, f).toBeInstanceOf(UnsupportedFormatError)
      expect((err as UnsupportedFormatError).message).toBe(`block single-tenant/b27b0e53-66a0-4505-afd6-434ae3cd4a10: unsupported block format ${JSON.stringify(f)}`)
    }
  })

  it('recognises preview labels', () => {
    expect(['vparquet5', 'vParquet5-preview3', 'vParquet5-preview5', 'vParquet4-preview1'].every(isPreviewFormat)).toBe(true)
    expect([...supportedFormats, 'v2'].some(isPreviewFormat)).toBe(false)
  })
})

interface Leaf {
  path: string[]
}

function leaves(tree: SchemaTree, prefix: string[] = []): Leaf[] {
  if (tree.children.length === 0) return [{ path: prefix }]
  return tree.children.flatMap((c) => leaves(c, [...prefix, c.element.name]))
}

/** Drop every leaf of the assembled row that `wantsColumn` rejects (rows carry logical paths: LIST wrappers are folded). */
function prune(value: unknown, path: string[], format: TraceFormat): unknown {
  if (Array.isArray(value)) return value.map((v) => prune(v, path, format))
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return format.wantsColumn(path) ? value : undefined
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    const pruned = prune(v, [...path, k], format)
    if (pruned !== undefined && !(Array.isArray(pruned) && pruned.length > 0 && pruned.every((x) => x === undefined))) out[k] = pruned
  }
  return Object.keys(out).length > 0 ? out : undefined
}

const BLOCKS: [string, string][] = [
  ['tempo-generated vParquet3', join(tempoGeneratedDir, 'correctness/vParquet3/single-tenant/1100060d-a1d5-56c4-842d-38d65930741b')],
  ['tempo-generated vParquet4', join(tempoGeneratedDir, 'correctness/vParquet4/single-tenant/404b1402-bf44-5996-9ee7-eb9c8161caab')],
  ['tempo-generated vParquet5', join(tempoGeneratedDir, 'correctness/vParquet5/single-tenant/e04ac6bf-6d93-521f-a9b0-4e27ee7af466')],
  ['tempo-blocks vParquet2', join(tempoBlocksDir, 'vParquet2/single-tenant/b27b0e53-66a0-4505-afd6-434ae3cd4a10')],
  ['tempo-blocks vParquet4 (pre-release attributes)', join(tempoBlocksDir, 'vParquet4/single-tenant/b27b0e53-66a0-4505-afd6-434ae3cd4a10')],
  ['tempo-blocks vParquet5-preview5', join(tempoBlocksDir, 'vParquet5-preview5/single-tenant/b27b0e53-66a0-4505-afd6-434ae3cd4a10')],
]

describe.skipIf(!hasSharedFixtures)('isPreviewLayout', () => {
  it('spots preview data behind a released label by its LIST-wrapped paths', async () => {
    const pathsOf = async (dir: string) => leaves(parquetSchema(await parquetMetadataAsync(await asyncBufferFromFile(join(dir, 'data.parquet'))))).map((l) => l.path)
    const mislabelled = join(tempoBlocksDir, 'vParquet5-preview2/single-tenant/b27b0e53-66a0-4505-afd6-434ae3cd4a10')
    expect(readMeta(mislabelled).format).toBe('vParquet5')
    expect(isPreviewLayout('vParquet5', await pathsOf(mislabelled))).toBe(true)
    expect(isPreviewLayout('vParquet5', await pathsOf(BLOCKS[2]![1]))).toBe(false)
    expect(isPreviewLayout('vParquet4', await pathsOf(BLOCKS[1]![1]))).toBe(false)
    expect(isPreviewLayout('vParquet5-preview5', [])).toBe(true)
  })
})

const NEVER_WANTED = /(^TraceIDText$|^(StartTimeUnixNano|EndTimeUnixNano|DurationNano)$|^Root|^ServiceStats|\.ParentID$|\.NestedSet|\.ChildCount$|\.StartTimeRounded|\.SpanCount$|\.Test$|\.ValueType$|\.ValueDropped$)/

describe.skipIf(!hasSharedFixtures)('wantsColumn on real schemas', () => {
  sharedFixturesSkipNote('wantsColumn on real schemas')
  for (const [label, dir] of BLOCKS) {
    it(`${label}: skips unneeded columns, and rows reduced to the wanted columns convert identically`, async () => {
      const blockMeta = readMeta(dir)
      const format = resolveFormat(blockMeta)
      const file = await asyncBufferFromFile(join(dir, 'data.parquet'))
      const all = leaves(parquetSchema(await parquetMetadataAsync(file)))
      const wanted = all.filter((l) => format.wantsColumn(l.path)).map((l) => l.path.join('.'))
      const skipped = all.filter((l) => !format.wantsColumn(l.path)).map((l) => l.path.join('.'))
      for (const path of all.map((l) => l.path.join('.'))) if (NEVER_WANTED.test(path.replace(/\.list\.element/g, ''))) expect(skipped, path).toContain(path)
      expect(wanted).toContain('TraceID')
      expect(wanted.length).toBeLessThan(all.length)
      // Spare columns the meta does not map are skipped too.
      const mapped = blockMeta.dedicatedColumns.length
      const spareWanted = wanted.filter((p) => p.includes('DedicatedAttributes')).length
      expect(spareWanted).toBeLessThanOrEqual(mapped)

      const rows = (await parquetReadObjects({ file, compressors, utf8: false })) as Record<string, unknown>[]
      for (const row of rows) {
        const reduced = prune(row, [], format) as Record<string, unknown>
        expect(traceToJson(format.convertRow(reduced, blockMeta))).toBe(traceToJson(format.convertRow(row, blockMeta)))
      }
    }, 60_000)
  }
})
