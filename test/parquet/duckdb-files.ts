import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'

/**
 * Parquet files DuckDB writes (DATA_PAGE pages; PLAIN, PLAIN_DICTIONARY/RLE_DICTIONARY and, with
 * `PARQUET_VERSION V2`, DELTA_BINARY_PACKED and DELTA_LENGTH_BYTE_ARRAY; uncompressed, snappy, zstd,
 * gzip) over columns of many types, nullable, nested and repeated: pages neither Tempo nor our generator
 * write, for the page decoder tests that must stand without the shared fixtures.
 */
// Unsigned values past the signed range exercise the unsigned conversions; the delta variants keep them
// small because hyparquet (the reference) reads the first value of a DELTA_BINARY_PACKED INT32 through a
// 32-bit varint and so truncates DuckDB's 33-bit zigzag of a UINTEGER >= 2^31 (our decoder reads 64 bits
// and keeps the low 32: see test/parquet/delta-decoder.test.ts).
const rows = (wideUnsigned: boolean) => `SELECT
  i::INTEGER AS i32, (i * 1000000007)::BIGINT AS i64, ${wideUnsigned ? '(18446744073709551615 - i * 3)::UBIGINT AS u64, (4294967295 - i * 7)::UINTEGER AS u32' : '(i * 3)::UBIGINT AS u64, (i * 7)::UINTEGER AS u32'}, (i % 300)::SMALLINT AS i16,
  i / 3.0 AS f64, (i / 7.0)::FLOAT AS f32, (i % 7 = 0) AS flag, 'name-' || (i % 13) AS dict_text,
  md5(i::VARCHAR) AS text, CASE WHEN i % 9 = 0 THEN repeat('Ünïcödé ✓ ', 1 + i % 5) WHEN i % 9 = 1 THEN chr(65279) || 'bom' ELSE 'ascii' || i END AS utf8,
  encode(md5(i::VARCHAR)) AS bytes, CASE WHEN i % 5 = 0 THEN NULL ELSE (i * 0.25)::DECIMAL(12, 2) END AS amount,
  DATE '2025-01-01' + (i % 400)::INTEGER AS day, TIMESTAMP '2025-01-16 08:00:00' + to_microseconds(i * 1000) AS at,
  CASE WHEN i % 11 = 0 THEN NULL ELSE list_transform(range(i % 4), x -> CASE WHEN x = 2 THEN NULL ELSE 'v' || x END) END AS tags,
  list_transform(range(i % 3), x -> list_transform(range((i + x) % 3), y -> (i * y)::BIGINT)) AS nested,
  {'a': i, 'b': CASE WHEN i % 3 = 0 THEN NULL ELSE [i, i + 1] END, 'c': 'fixed'} AS st
  FROM range(12000) t(i)`

/** The variants written: name and COPY options. */
export const DUCKDB_VARIANTS: readonly { name: string; options: string }[] = [
  { name: 'v1-uncompressed', options: 'COMPRESSION uncompressed' },
  { name: 'v1-snappy', options: 'COMPRESSION snappy' },
  { name: 'v1-zstd', options: 'COMPRESSION zstd' },
  { name: 'v1-gzip', options: 'COMPRESSION gzip' },
  { name: 'delta-snappy', options: 'COMPRESSION snappy, PARQUET_VERSION V2' },
  { name: 'delta-uncompressed', options: 'COMPRESSION uncompressed, PARQUET_VERSION V2' },
]

/** Write every variant into `dir`; returns their paths. */
export async function writeDuckDbFiles(dir: string): Promise<string[]> {
  const db = await DuckDBInstance.create(':memory:')
  const connection = await db.connect()
  try {
    const files: string[] = []
    for (const { name, options } of DUCKDB_VARIANTS) {
      const file = join(dir, `${name}.parquet`)
      await connection.run(`COPY (${rows(!options.includes('V2'))}) TO '${file}' (FORMAT parquet, ${options}, ROW_GROUP_SIZE 5000)`)
      files.push(file)
    }
    return files
  } finally {
    connection.closeSync()
  }
}
