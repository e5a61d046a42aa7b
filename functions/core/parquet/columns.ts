import type { ColumnMetaData, CompressionCodec, ParquetParsers, SchemaTree } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import type { readDataPageV2 } from 'hyparquet/src/datapage.js'
import { DEFAULT_PARSERS } from 'hyparquet/src/convert.js'
import { getMaxDefinitionLevel, getMaxRepetitionLevel } from 'hyparquet/src/schema.js'
import { zstdDecompress } from '../encoding/zstd.js'
import type { ParquetFooter } from './footer.js'

// vParquet5 blob columns are ZSTD pages: Node's own zstd where it has one (22.15+), fzstd on Node 20.
const PAGE_COMPRESSORS = { ...compressors, ZSTD: (input: Uint8Array) => zstdDecompress(input) }

/** hyparquet's (unexported) per-column decoder parameters. */
export type ColumnDecoder = Parameters<typeof readDataPageV2>[2]

/** One physical (leaf) column of a parquet file. */
export interface LeafColumn {
  /** Position of the column chunk inside every row group. */
  index: number
  path: string[]
  /** Schema nodes from the root to the leaf. */
  schemaPath: SchemaTree[]
  maxDefinitionLevel: number
  maxRepetitionLevel: number
}

/** Every leaf column of the file in chunk order, resolved by path name. */
export function leafColumns(footer: ParquetFooter): LeafColumn[] {
  const leaves: LeafColumn[] = []
  const walk = (node: SchemaTree, trail: SchemaTree[]) => {
    const schemaPath = [...trail, node]
    if (node.children.length === 0) {
      leaves.push({
        index: leaves.length,
        path: node.path,
        schemaPath,
        maxDefinitionLevel: getMaxDefinitionLevel(schemaPath),
        maxRepetitionLevel: getMaxRepetitionLevel(schemaPath),
      })
      return
    }
    for (const child of node.children) walk(child, schemaPath)
  }
  for (const child of footer.schema.children) walk(child, [footer.schema])
  // The footer's chunk order must match the schema's leaf order; check once on the first row group.
  const first = footer.metadata.row_groups[0]
  if (first) {
    first.columns.forEach((chunk, i) => {
      const path = chunk.meta_data?.path_in_schema.join('.')
      if (path !== leaves[i]?.path.join('.')) throw new Error(`parquet column chunk ${i} is ${path}, schema says ${leaves[i]?.path.join('.')}`)
    })
  }
  return leaves
}

/** Column chunk metadata of `leaf` in row group `rowGroup`, or an error naming the column. */
export function chunkOf(footer: ParquetFooter, rowGroup: number, leaf: LeafColumn): ColumnMetaData {
  const meta = footer.metadata.row_groups[rowGroup]?.columns[leaf.index]?.meta_data
  if (!meta) throw new Error(`parquet row group ${rowGroup} has no metadata for column ${leaf.path.join('.')}`)
  return meta
}

/**
 * The decoder hyparquet's page functions take. `utf8: false` keeps un-annotated BYTE_ARRAY leaves (IDs)
 * as bytes while STRING leaves still become text, exactly as `parquetReadObjects({ utf8: false })` does.
 */
export function columnDecoder(leaf: LeafColumn, codec: CompressionCodec): ColumnDecoder {
  const element = leaf.schemaPath[leaf.schemaPath.length - 1]!.element
  if (!element.type) throw new Error(`parquet column ${leaf.path.join('.')} has no physical type`)
  return {
    pathInSchema: leaf.path,
    type: element.type,
    element,
    schemaPath: leaf.schemaPath,
    codec,
    parsers: DEFAULT_PARSERS as ParquetParsers,
    compressors: PAGE_COMPRESSORS,
    utf8: false,
  }
}

/** Row offset of every row group (index i = first absolute row of group i; last entry = total rows). */
export function rowGroupStarts(footer: ParquetFooter): number[] {
  const starts = [0]
  for (const rg of footer.metadata.row_groups) starts.push(starts.at(-1)! + Number(rg.num_rows))
  return starts
}
