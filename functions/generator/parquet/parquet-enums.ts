/** Thrift enum values of parquet.thrift used by the writer. */

/** `Type`. */
export const PhysicalTypeId = { BOOLEAN: 0, INT32: 1, INT64: 2, DOUBLE: 5, BYTE_ARRAY: 6 } as const
/** `FieldRepetitionType`. */
export const RepetitionId = { REQUIRED: 0, OPTIONAL: 1, REPEATED: 2 } as const
/** `Encoding`. */
export const Encoding = { PLAIN: 0, RLE: 3, DELTA_BINARY_PACKED: 5, DELTA_LENGTH_BYTE_ARRAY: 6, RLE_DICTIONARY: 8 } as const
/** `CompressionCodec`. */
export const CodecId = { UNCOMPRESSED: 0, SNAPPY: 1, ZSTD: 6 } as const
/** `PageType`. */
export const PageType = { DATA_PAGE: 0, DICTIONARY_PAGE: 2, DATA_PAGE_V2: 3 } as const
/** `ConvertedType`. */
export const ConvertedType = { UTF8: 0, MAP: 1, LIST: 3, UINT_32: 13, UINT_64: 14, INT_32: 17, INT_64: 18 } as const
