import { join } from 'node:path'
import { DuckDBInstance, type DuckDBBlobValue } from '@duckdb/node-api'
import { describe, expect, it } from 'vitest'
import { decodeAnyValue, decodeLinkSliceMessage } from '../../functions/core/otlp/protobuf-decode.js'
import { encodeAnyValueMessage, encodeLinkSliceMessage } from '../../functions/core/otlp/protobuf-encode.js'
import { hasSharedFixtures, sharedFixturesSkipNote, tempoGeneratedDir } from '../support/shared-fixtures.js'

/**
 * vParquet3 stores span links as protobuf `LinkSlice` and event attribute values as protobuf `AnyValue`,
 * both written by Tempo's gogo `Marshal`. Decoding those bytes and encoding them again must give the very
 * same bytes: an independent check of field order, zero omission and the oneof rules.
 */
async function tempoWrittenBlobs(sql: (file: string) => string): Promise<Uint8Array[]> {
  const files = join(tempoGeneratedDir, 'correctness', 'vParquet3', '*', '*', 'data.parquet')
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    const reader = await connection.runAndReadAll(sql(files.replaceAll("'", "''")))
    return reader.getRows().map((row) => (row[0] as DuckDBBlobValue).bytes)
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}

const spansOf = (file: string): string => `WITH r AS (SELECT unnest(rs) AS r FROM read_parquet('${file}')),
  s AS (SELECT unnest(r.ss) AS s FROM r), sp AS (SELECT unnest(s.Spans) AS sp FROM s)`

describe.skipIf(!hasSharedFixtures)('protobuf bytes written by Tempo (vParquet3 columns)', () => {
  sharedFixturesSkipNote('protobuf tempo bytes')

  it('re-encodes every Links LinkSlice byte-identically', async () => {
    const blobs = await tempoWrittenBlobs((f) => `${spansOf(f)} SELECT DISTINCT sp.Links FROM sp WHERE octet_length(sp.Links) > 0`)
    expect(blobs.length).toBeGreaterThan(20)
    let links = 0
    for (const blob of blobs) {
      const decoded = decodeLinkSliceMessage(blob)
      links += decoded.length
      expect(Buffer.from(encodeLinkSliceMessage(decoded)).toString('hex')).toBe(Buffer.from(blob).toString('hex'))
    }
    console.info(`[protobuf tempo bytes] ${blobs.length} LinkSlices, ${links} links`)
    expect(links).toBeGreaterThan(blobs.length - 1)
  }, 30_000)

  it('re-encodes every event attribute AnyValue byte-identically', async () => {
    const blobs = await tempoWrittenBlobs(
      (f) => `${spansOf(f)}, e AS (SELECT unnest(sp.Events) AS e FROM sp), a AS (SELECT unnest(e.Attrs) AS a FROM e)
        SELECT DISTINCT a.Value FROM a`,
    )
    expect(blobs.length).toBeGreaterThan(5)
    const kinds = new Set<string>()
    for (const blob of blobs) {
      const decoded = decodeAnyValue(blob)
      kinds.add(Object.keys(decoded)[0] ?? 'empty')
      expect(Buffer.from(encodeAnyValueMessage(decoded)).toString('hex')).toBe(Buffer.from(blob).toString('hex'))
    }
    console.info(`[protobuf tempo bytes] ${blobs.length} AnyValues, kinds: ${[...kinds].sort().join(', ')}`)
    expect(kinds.size).toBeGreaterThan(2)
  }, 30_000)
})
