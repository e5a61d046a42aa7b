import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import { createGunzip, createGzip, type Gzip } from 'node:zlib'

/**
 * Line-oriented NDJSON with optional gzip, streamed both ways so memory holds the compressed bytes and
 * one line, never the decompressed whole. The storage port writes whole objects, so the writer collects
 * the compressed chunks.
 */
export class NdjsonWriter {
  private readonly chunks: Buffer[] = []
  private readonly gzip: Gzip | undefined
  private lines = 0

  constructor(readonly compress = true) {
    if (compress) {
      this.gzip = createGzip({ level: 6 })
      this.gzip.on('data', (chunk: Buffer) => this.chunks.push(chunk))
    }
  }

  /** Number of lines written so far. */
  get lineCount(): number {
    return this.lines
  }

  /** Append one line (without its newline); waits while the compressor is busy. */
  async write(line: string): Promise<void> {
    this.lines++
    if (!this.gzip) {
      this.chunks.push(Buffer.from(line + '\n', 'utf8'))
      return
    }
    if (!this.gzip.write(line + '\n')) await once(this.gzip, 'drain')
  }

  /** Finish the stream and return the whole object's bytes. */
  async finish(): Promise<Uint8Array> {
    if (this.gzip) {
      const ended = once(this.gzip, 'end')
      this.gzip.end()
      await ended
    }
    return Buffer.concat(this.chunks)
  }
}

/** The non-empty lines of an NDJSON object (gunzipped when `gzip`), one at a time. */
export async function* ndjsonLines(bytes: Uint8Array, gzip: boolean): AsyncIterable<string> {
  const source = Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)])
  const input = gzip ? source.pipe(createGunzip()) : source
  const reader = createInterface({ input, crlfDelay: Infinity })
  try {
    for await (const line of reader) if (line.length > 0) yield line
  } finally {
    reader.close()
  }
}

/** True for keys we write gzip-compressed. */
export function isGzipKey(key: string): boolean {
  return key.endsWith('.gz')
}

/** True when `bytes` start with the gzip magic number. */
export function looksGzipped(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
}
