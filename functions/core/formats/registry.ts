import type { BlockMeta } from '../blocks/block-meta.js'
import { UnsupportedFormatError } from '../contract/errors.js'
import type { Trace } from '../otlp/model.js'
import { decodeLegacyAttribute, decodeLegacyEventAttribute, modernAttributeDecoder } from './attributes.js'
import { logicalPath, neededColumns } from './column-paths.js'
import { dedicatedMappingFor } from './dedicated-columns.js'
import { convertTraceRow, type FormatFlavor } from './row-to-trace.js'

/**
 * The format registry: one switch from `meta.format` to a reader (spec §0). vParquet2-5 are read;
 * vParquet5 preview blocks are read too but flagged (`isPreviewFormat`) because Tempo itself skips
 * them; anything else is an `UnsupportedFormatError` for that block.
 */

/** A block format's reader: which columns to fetch and how to turn one row into a trace. */
export interface TraceFormat {
  /** The block's `meta.format` label. */
  name: string
  /** Which leaf columns (path_in_schema) the conversion needs; everything else is never fetched. */
  wantsColumn(path: readonly string[]): boolean
  /** Convert one assembled row (as hyparquet's parquetReadObjects returns it with utf8:false) to a Trace. */
  convertRow(row: Record<string, unknown>, meta: BlockMeta): Trace
}

const vParquet2: FormatFlavor = {
  attribute: decodeLegacyAttribute,
  eventAttribute: decodeLegacyEventAttribute,
  eventTime: 'absolute',
  links: 'protobuf',
}
const vParquet3: FormatFlavor = { ...vParquet2, dedicated: 'v3' }
const vParquet4Attribute = modernAttributeDecoder(true)
const vParquet4: FormatFlavor = {
  attribute: vParquet4Attribute,
  eventAttribute: vParquet4Attribute,
  dedicated: 'v3',
  eventTime: 'relative',
  links: 'columns',
}
const vParquet5Attribute = modernAttributeDecoder(false)
const vParquet5: FormatFlavor = { ...vParquet4, attribute: vParquet5Attribute, eventAttribute: vParquet5Attribute, dedicated: 'v5' }

const FLAVORS: Record<string, FormatFlavor> = { vParquet2, vParquet3, vParquet4, vParquet5 }

/** Formats read as released (the `meta.format` values Tempo 2.x/3.x writes for parquet blocks we support). */
export const supportedFormats: readonly string[] = Object.keys(FLAVORS)

/** `vParquet5-previewN`, and `vparquet5`, the label the preview1 test block carries. */
const VPARQUET5_PREVIEW = /^(vParquet5-preview\d+|vparquet5)$/

/**
 * True for Tempo's pre-release formats: any label containing `preview` (Tempo skips those blocks) and
 * `vparquet5` (preview1's label). Only vParquet5 previews can be read here; the batch layer should
 * report the block as preview data.
 */
export function isPreviewFormat(name: string): boolean {
  return name.includes('preview') || VPARQUET5_PREVIEW.test(name)
}

/**
 * True when a block labelled as a released format holds preview data, judged by its leaf column paths
 * (`path_in_schema`): the repository's mislabelled `vParquet5` block is preview2 data with LIST wrappers
 * (`rs.list.element...`), which the final vParquet5 layout no longer has. It still reads fine.
 */
export function isPreviewLayout(format: string, leafPaths: Iterable<readonly string[]>): boolean {
  if (format !== 'vParquet5') return isPreviewFormat(format)
  for (const path of leafPaths) if (path[0] === 'rs' && path[1] === 'list') return true
  return false
}

function flavorOf(format: string): FormatFlavor | undefined {
  if (Object.hasOwn(FLAVORS, format)) return FLAVORS[format]
  return VPARQUET5_PREVIEW.test(format) ? vParquet5 : undefined
}

/**
 * The reader for a block. `wantsColumn` is specific to this meta: only the spare columns its
 * dedicated-column list maps are wanted. Throws `UnsupportedFormatError(tenant, block, format)`.
 */
export function resolveFormat(meta: BlockMeta): TraceFormat {
  const flavor = flavorOf(meta.format)
  if (!flavor) throw new UnsupportedFormatError(meta.tenantId, meta.blockId, meta.format)
  const wanted = neededColumns(flavor.dedicated ? dedicatedMappingFor(meta, flavor.dedicated) : undefined)
  return {
    name: meta.format,
    wantsColumn: (path) => wanted.has(logicalPath(path).join('.')),
    convertRow: (row, rowMeta) => convertTraceRow(row, rowMeta, flavor),
  }
}
