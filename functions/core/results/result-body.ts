import type { Manifest } from '../contract/types.js'
import type { ObjectStore } from '../storage/object-store.js'
import { readObjectChunks } from '../storage/read-stream.js'
import { isGzipKey, ndjsonLines } from './ndjson.js'

/** Where a result too large to inline can be fetched: always its `location`, plus a URL where one can be made. */
export interface LinkedResult {
  location: string
  url?: string
  expiresInSeconds?: number
}

/**
 * The `result` member of a `POST /v1/batch` answer, as JSON text: `{"inline":true,"lines":[...]}` with
 * each NDJSON line embedded byte for byte (re-serialising would turn Tempo's `-0` into `0`), or, past
 * `inlineResultMaxBytes` of NDJSON, `{"inline":false,"location":...,"url"?:...,"contentEncoding":...,"reason":...}`.
 */
export async function inlineOrLinkedResultJson(
  store: ObjectStore,
  resultKey: string,
  options: { inlineResultMaxBytes: number; link: (key: string) => Promise<LinkedResult> },
): Promise<string> {
  const linked = async (): Promise<string> => {
    const link = await options.link(resultKey)
    return JSON.stringify({ inline: false, ...link, contentEncoding: isGzipKey(resultKey) ? 'gzip' : 'identity', reason: `result is larger than ${options.inlineResultMaxBytes} bytes` })
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

/** The whole `POST /v1/batch` answer: `{ manifest, manifestKey, reused, result }`, `result` as above. */
export function batchAnswerJson(outcome: { manifest: Manifest; manifestKey: string; reused: boolean }, resultJson: string): string {
  const head = JSON.stringify({ manifest: outcome.manifest, manifestKey: outcome.manifestKey, reused: outcome.reused })
  return `${head.slice(0, -1)},"result":${resultJson}}`
}
