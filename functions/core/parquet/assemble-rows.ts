import type { DecodedArray, ParquetParsers, SchemaTree } from 'hyparquet'
import { assembleLists, assembleNested } from 'hyparquet/src/assemble.js'
import { DEFAULT_PARSERS } from 'hyparquet/src/convert.js'
import type { LeafColumn } from './columns.js'
import type { RowSlice } from './row-slice.js'

/** A parquet row as hyparquet's `parquetReadObjects` returns it: top-level field name to value. */
export type ParquetRowObject = Record<string, unknown>

/** The schema tree reduced to the given leaves; groups without a kept leaf disappear. */
export function pruneSchema(node: SchemaTree, keep: ReadonlySet<string>): SchemaTree | undefined {
  if (node.children.length === 0) return keep.has(node.path.join('.')) ? node : undefined
  const children = node.children.map((child) => pruneSchema(child, keep)).filter((c): c is SchemaTree => c !== undefined)
  if (children.length === 0) return undefined
  if (children.length === node.children.length && children.every((c, i) => c === node.children[i])) return node
  return { ...node, children, element: { ...node.element, num_children: children.length } }
}

/**
 * Leaves to read so that assembly works: a MAP needs both its key and value, so asking for any leaf
 * inside a map brings the whole map.
 */
export function closeOverMaps(root: SchemaTree, wanted: ReadonlySet<string>): Set<string> {
  const result = new Set(wanted)
  const leavesOf = (node: SchemaTree): string[] => (node.children.length ? node.children.flatMap(leavesOf) : [node.path.join('.')])
  const visit = (node: SchemaTree) => {
    if (node.element.converted_type === 'MAP' || node.element.logical_type?.type === 'MAP') {
      const leaves = leavesOf(node)
      if (leaves.some((l) => wanted.has(l))) for (const l of leaves) result.add(l)
      return
    }
    for (const child of node.children) visit(child)
  }
  visit(root)
  return result
}

/**
 * Assemble `rowCount` rows from per-column slices (each holding exactly those rows, in the same order)
 * with hyparquet's own `assembleLists` + `assembleNested`, so the objects equal `parquetReadObjects`'s.
 */
export function assembleRows(root: SchemaTree, columns: Map<LeafColumn, RowSlice>, rowCount: number): ParquetRowObject[] {
  const keep = new Set([...columns.keys()].map((leaf) => leaf.path.join('.')))
  const pruned = pruneSchema(root, keep)
  const rows: ParquetRowObject[] = Array.from({ length: rowCount }, () => ({}))
  if (!pruned) return rows
  const perColumn = new Map<string, DecodedArray>()
  for (const [leaf, slice] of columns) {
    const schemaPath = prunedPath(pruned, leaf.path)
    const definitionLevels = leaf.maxDefinitionLevel > 0 ? slice.definitionLevels : undefined
    const repetitionLevels = leaf.maxRepetitionLevel > 0 ? slice.repetitionLevels : []
    const assembled = assembleLists([], definitionLevels, repetitionLevels, slice.values as DecodedArray, schemaPath)
    if (assembled.length !== rowCount) {
      throw new Error(`parquet column ${leaf.path.join('.')} assembled ${assembled.length} rows, expected ${rowCount}`)
    }
    perColumn.set(leaf.path.join('.'), assembled)
  }
  for (const child of pruned.children) {
    const name = child.element.name
    if (child.children.length) assembleNested(perColumn, child, DEFAULT_PARSERS as ParquetParsers)
    const data = perColumn.get(name)
    if (!data) throw new Error(`parquet column ${name} was not assembled`)
    for (let i = 0; i < rowCount; i++) rows[i]![name] = data[i]
  }
  return rows
}

function prunedPath(root: SchemaTree, path: readonly string[]): SchemaTree[] {
  const out = [root]
  let node = root
  for (const part of path) {
    const next = node.children.find((c) => c.element.name === part)
    if (!next) throw new Error(`parquet schema element not found: ${path.join('.')}`)
    out.push(next)
    node = next
  }
  return out
}
