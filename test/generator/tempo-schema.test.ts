import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parquetMetadata, readColumnIndex, type FileMetaData } from 'hyparquet'
import type { Trace } from '../../functions/core/otlp/model.js'
import { ParquetFileWriter } from '../../functions/generator/parquet/file-writer.js'
import { DEFAULT_DEDICATED_COLUMNS, dedicatedColumnsForFormat, dedicatedSlots, type GeneratedFormat } from '../../functions/generator/tempo/dedicated.js'
import { vParquet4Schema, vParquet5Schema } from '../../functions/generator/tempo/schema.js'
import { traceToRowV4 } from '../../functions/generator/tempo/row-v4.js'
import { traceToRowV5 } from '../../functions/generator/tempo/row-v5.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoGeneratedDir } from '../support/shared-fixtures.js'

sharedFixturesSkipNote('generator tempo schema')

const traceId = Uint8Array.from({ length: 16 }, (_, i) => i + 1)
const trace: Trace = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }, { key: 'host.name', value: { stringValue: 'h1' } }] },
      scopeSpans: [
        {
          scope: { name: 'lib' },
          spans: [
            {
              traceId,
              spanId: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
              name: 'GET /',
              kind: 2,
              startTimeUnixNano: 1_736_940_866_000_000_000n,
              endTimeUnixNano: 1_736_940_867_000_000_000n,
              attributes: [{ key: 'http.request.method', value: { stringValue: 'GET' } }],
              status: { code: 0 },
            },
          ],
        },
      ],
    },
  ],
}

function generatedFile(format: GeneratedFormat): FileMetaData {
  return parquetMetadata(generatedBuffer(format))
}

function generatedBuffer(format: GeneratedFormat): ArrayBuffer {
  const stored = dedicatedColumnsForFormat(format, DEFAULT_DEDICATED_COLUMNS)
  const slots = dedicatedSlots(format, stored)
  const schema = format === 'vParquet4' ? vParquet4Schema() : vParquet5Schema(slots)
  const parts: Uint8Array[] = []
  const w = new ParquetFileWriter(schema, { rowGroupBytes: 1e8, pageBytes: 262144, createdBy: 'x', sink: (b) => parts.push(b.slice()) })
  w.writeRow(format === 'vParquet4' ? traceToRowV4(traceId, trace, slots) : traceToRowV5(traceId, trace, slots))
  w.finish()
  const buf = Buffer.concat(parts)
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)
}

function tempoBuffer(format: GeneratedFormat): ArrayBuffer {
  const tenantDir = join(tempoGeneratedDir, 'correctness', format, 'single-tenant')
  const block = readdirSync(tenantDir).find((d) => existsSync(join(tenantDir, d, 'meta.json')))!
  const buf = readFileSync(join(tenantDir, block, 'data.parquet'))
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)
}

/** Per chunk: which size statistics and level histograms exist (values differ with the data). */
function sizeStatisticsShape(file: ArrayBuffer) {
  const md = parquetMetadata(file)
  const leaves = md.schema.filter((s) => s.type)
  const view = new DataView(file)
  return md.row_groups[0]!.columns.map((c, i) => {
    const ss = c.meta_data!.size_statistics
    const ci = readColumnIndex({ view, offset: Number(c.column_index_offset) }, leaves[i]!)
    return {
      path: c.meta_data!.path_in_schema.join('.'),
      // Present only on non-dictionary byte-array chunks with at least one byte, so data-dependent.
      unencodedAllowed: ss?.unencoded_byte_array_data_bytes === undefined || (c.meta_data!.type === 'BYTE_ARRAY' && !c.meta_data!.encodings.includes('RLE_DICTIONARY')),
      rep: ss?.repetition_level_histogram?.length,
      def: ss?.definition_level_histogram?.length,
      ciRep: ci.repetition_level_histograms?.length,
      ciDef: ci.definition_level_histograms?.length,
      boundary: ci.boundary_order,
    }
  })
}

function tempoFile(format: GeneratedFormat): { md: FileMetaData; meta: { dedicatedColumns: unknown[] } } {
  const tenantDir = join(tempoGeneratedDir, 'correctness', format, 'single-tenant')
  const block = readdirSync(tenantDir).find((d) => existsSync(join(tenantDir, d, 'meta.json')))!
  const buf = readFileSync(join(tenantDir, block, 'data.parquet'))
  return {
    md: parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)),
    meta: JSON.parse(readFileSync(join(tenantDir, block, 'meta.json'), 'utf8')),
  }
}

const schemaView = (md: FileMetaData) =>
  md.schema.map((s) => ({ name: s.name, type: s.type, type_length: s.type_length, repetition: s.repetition_type, children: s.num_children, converted: s.converted_type, logical: s.logical_type }))

const chunkView = (md: FileMetaData) =>
  md.row_groups[0]!.columns.map((c) => ({ path: c.meta_data!.path_in_schema.join('.'), codec: c.meta_data!.codec, encodings: c.meta_data!.encodings }))

describe.skipIf(!hasSharedFixtures)('generated schemas match Tempo v3.0.3 files', () => {
  for (const format of ['vParquet4', 'vParquet5'] as const) {
    it(`${format}: same schema tree (paths, types, repetition, annotations) and created_by/version`, () => {
      const ours = generatedFile(format)
      const tempo = tempoFile(format)
      expect(schemaView(ours)).toEqual(schemaView(tempo.md))
      expect(ours.version).toBe(tempo.md.version)
    })

    it(`${format}: same codec and encodings on every column chunk`, () => {
      const ours = chunkView(generatedFile(format))
      expect(ours.length).toBe(format === 'vParquet4' ? 103 : 108)
      expect(ours).toEqual(chunkView(tempoFile(format).md))
    })

    it(`${format}: same size statistics and level histograms (chunk and ColumnIndex) on every column`, () => {
      expect(sizeStatisticsShape(generatedBuffer(format))).toEqual(sizeStatisticsShape(tempoBuffer(format)))
    })

    it(`${format}: the meta's dedicated list equals Tempo's filtered list`, () => {
      const stored = dedicatedColumnsForFormat(format, DEFAULT_DEDICATED_COLUMNS)
      const asJson = stored.map((c) => ({ ...(c.scope === 'span' ? {} : { s: c.scope }), n: c.name, ...(c.type === 'string' ? {} : { t: c.type }), ...(c.options.length ? { o: c.options } : {}) }))
      expect(asJson).toEqual(tempoFile(format).meta.dedicatedColumns)
    })
  }
})
