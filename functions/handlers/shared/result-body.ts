import { isGzipKey, ndjsonLines } from '../../core/results/ndjson.js'
import type { ObjectStore } from '../../core/storage/object-store.js'
import { readObjectChunks } from '../../core/storage/read-stream.js'
import { presignGet } from './presign-get.js'

/**
 * The `result` member of the API response, as JSON text: `{"inline":true,"lines":[...]}` with each
 * NDJSON line embedded byte for byte (re-serialising would turn Tempo's `-0` into `0`), or, past
 * `inlineResultMaxBytes`, `{"inline":false,"url":...}` with a short-lived presigned URL to the gzip NDJSON.
 */
export async function inlineOrLinkedResultJson(
  store: ObjectStore,
  options: { inlineResultMaxBytes: number; presignExpirySeconds: number },
  resultKey: string,
): Promise<string> {
  const linked = async (): Promise<string> => {
    const url = await presignGet(store, resultKey, options.presignExpirySeconds)
    return JSON.stringify({ inline: false, url, expiresInSeconds: options.presignExpirySeconds, contentEncoding: isGzipKey(resultKey) ? 'gzip' : 'identity', reason: `result is larger than ${options.inlineResultMaxBytes} bytes` })
  }
  // The stored object is compressed; if even that is over the budget, do not read it at all.
  const { size } = await store.head(resultKey)
  if (size > options.inlineResultMaxBytes) return linked()
  const lines: string[] = []
  let bytes = 0
  for await (const line of ndjsonLines(readObjectChunks(store, resultKey, { size }), isGzipKey(resultKey))) {
    bytes += Buffer.byteLength(line) + 1
    if (bytes > options.inlineResultMaxBytes) return linked()
    lines.push(line)
  }
  return `{"inline":true,"lines":[${lines.join(',')}]}`
}
