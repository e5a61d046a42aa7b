/**
 * Where a CPU-profile sample's time goes, by the function it was taken in (self time): the buckets of the
 * reader's breakdown. Rules are matched in order against the frame's script URL and function name; the
 * first match wins. URLs are matched as path fragments, so `dist/` builds and `tsx` sources both match.
 */

/** A breakdown bucket. */
export type Bucket =
  | 'gc'
  | 'decompression'
  | 'levels'
  | 'values'
  | 'pages'
  | 'assembly'
  | 'conversion'
  | 'encoding'
  | 'merge'
  | 'io'
  | 'startup'
  | 'other'

/** Buckets in report order; `idle` samples are not CPU and never land in a bucket. */
export const BUCKETS: readonly Bucket[] = ['gc', 'decompression', 'levels', 'values', 'pages', 'assembly', 'conversion', 'encoding', 'merge', 'io', 'startup', 'other']

/** What each bucket holds, for the printed legend. */
export const BUCKET_NOTES: Record<Bucket, string> = {
  gc: 'garbage collector',
  decompression: 'snappy / zstd / gzip of data pages',
  levels: 'repetition and definition levels, row boundaries',
  values: 'value decoding and conversion to JS values (dictionaries, strings, numbers)',
  pages: 'page headers, footers and page indexes (thrift), page bookkeeping',
  assembly: 'rows assembled from levels and values',
  conversion: 'row -> OTLP trace model',
  encoding: 'trace encoding into parts and results (protobuf, JSON, gzip)',
  merge: 'coordinator merge and combiner',
  io: 'store reads, fetch coalescing, bloom filters, discovery',
  startup: 'module loading and compilation',
  other: 'everything else',
}

interface Rule {
  bucket: Bucket
  url?: RegExp
  name?: RegExp
}

const RULES: readonly Rule[] = [
  { bucket: 'gc', name: /^\(garbage collector\)$/ },
  { bucket: 'decompression', url: /^wasm:|hysnappy|fzstd|hyparquet-compressors|snappyjs|\/snappy\.js$/ },
  { bucket: 'decompression', name: /^decompress/ },
  { bucket: 'levels', url: /core\/parquet\/(page-levels|hybrid-decoder|packed-words)/ },
  { bucket: 'levels', url: /hyparquet\/src\/encoding\.js$/ },
  { bucket: 'values', url: /core\/parquet\/(plain-values|encoded-values|delta-decoder|dictionary|value-codec|latin1)/ },
  { bucket: 'values', url: /hyparquet\/src\/(delta|plain|convert)\.js$/ },
  { bucket: 'values', url: /^node:internal\/encoding$|^node:buffer$/ },
  { bucket: 'values', name: /^decodeUTF8$|^utf8Slice$|^latin1Slice$/ },
  { bucket: 'assembly', url: /core\/parquet\/(row-assembler|leaf-feed|read-rows|assemble-rows)/ },
  { bucket: 'assembly', url: /hyparquet\/src\/assemble\.js$/ },
  { bucket: 'pages', url: /core\/parquet\/|hyparquet\/src\// },
  { bucket: 'conversion', url: /core\/formats\// },
  { bucket: 'encoding', url: /core\/otlp\/|core\/results\/|^node:zlib$|^node:internal\/streams\/|^node:string_decoder$/ },
  { bucket: 'merge', url: /core\/merge\/|core\/combine\/|core\/batch\/coordinator/ },
  { bucket: 'io', url: /core\/storage\/|core\/bloom\/|core\/blocks\/|core\/search\/|core\/batch\/|adapters\/|^node:fs|^node:internal\/fs\// },
  { bucket: 'startup', url: /^node:internal\/(modules|bootstrap|deps\/cjs-module-lexer)|^node:internal\/url$|tsx\/dist\// },
  { bucket: 'startup', name: /^(wrapSafe|compileFunction|compileForInternalLoader|internalModuleStat|readFileUtf8|realpathSync)$/ },
]

/** The bucket of a frame, or `idle` for samples in which the thread did nothing. */
export function bucketOf(url: string, functionName: string): Bucket | 'idle' {
  if (functionName === '(idle)') return 'idle'
  for (const rule of RULES) {
    if (rule.url && !rule.url.test(url)) continue
    if (rule.name && !rule.name.test(functionName)) continue
    return rule.bucket
  }
  return 'other'
}
