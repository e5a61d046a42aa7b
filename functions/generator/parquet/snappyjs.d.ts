// snappyjs ships no types; this is the part the generator uses.
declare module 'snappyjs' {
  /** Compress with raw (unframed) snappy. */
  export function compress(input: Uint8Array): Uint8Array
  /** Decompress raw snappy. */
  export function uncompress(input: Uint8Array): Uint8Array
  const snappy: { compress: typeof compress; uncompress: typeof uncompress }
  export default snappy
}
