import { once } from 'node:events'
import { StringDecoder } from 'node:string_decoder'
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

/**
 * The non-empty lines of an NDJSON object (gunzipped when `gzip`), one at a time. Pulls the gunzip
 * stream chunk by chunk (its async iterator keeps backpressure), unlike readline's iterator, which
 * decompresses and queues the whole object ahead of a slow consumer.
 */
export async function* ndjsonLines(bytes: Uint8Array, gzip: boolean): AsyncIterable<string> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const source = Readable.from([buffer], { objectMode: false })
  const chunks: AsyncIterable<Buffer> = gzip ? source.pipe(createGunzip({ chunkSize: 64 * 1024 })) : source
  const decoder = new StringDecoder('utf8')
  let pending = ''
  for await (const chunk of chunks) {
    pending += decoder.write(chunk)
    let newline = pending.indexOf('\n')
    let from = 0
    while (newline >= 0) {
      const line = pending.slice(from, newline)
      if (line.length > 0) yield line
      from = newline + 1
      newline = pending.indexOf('\n', from)
    }
    pending = pending.slice(from)
  }
  pending += decoder.end()
  if (pending.length > 0) yield pending
}

/** True for keys we write gzip-compressed. */
export function isGzipKey(key: string): boolean {
  return key.endsWith('.gz')
}

/** True when `bytes` start with the gzip magic number. */
export function looksGzipped(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
}
