import type { ServerResponse } from 'node:http'
import { encodeTrace, encodeTraceByIdResponse } from '../core/otlp/protobuf.js'
import { traceByIdV2Json, traceV1Json } from '../core/otlp/json.js'
import type { LookupResult } from './trace-lookup.js'
import { sendText } from './http-send.js'

/**
 * Answer `/api/traces/{id}` (v1) or `/api/v2/traces/{id}` exactly as Tempo does (spec §7.5): v1 404
 * with an empty body when not found and 422 when too large; v2 always 200 with `"trace":{}` or a
 * PARTIAL status; protobuf when `Accept` contains `application/protobuf`. A block that could not be
 * read fails the query (500), as in Tempo.
 */
export function answerTraceById(res: ServerResponse, found: LookupResult, options: { v2: boolean; accept: string }): void {
  const { result } = found
  if (result.status === 'partial') return sendText(res, 500, result.message ?? 'some blocks could not be read')
  const protobuf = options.accept.includes('application/protobuf')
  const tooLarge = result.status === 'too_large'
  if (!options.v2) {
    if (tooLarge) return sendText(res, 422, `trace exceeds max size (max bytes: ${maxBytesOf(result.message)})`)
    if (!result.trace) {
      res.statusCode = 404
      res.end()
      return
    }
    return send(res, protobuf, protobuf ? encodeTrace(result.trace) : traceV1Json(result.trace))
  }
  const fields = { trace: result.trace, partial: tooLarge, inspectedBytes: found.bytesRead, ...(tooLarge && result.message ? { message: result.message } : {}) }
  send(res, protobuf, protobuf ? encodeTraceByIdResponse(fields) : traceByIdV2Json(result.trace, fields))
}

function send(res: ServerResponse, protobuf: boolean, body: string | Uint8Array): void {
  res.statusCode = 200
  res.setHeader('content-type', protobuf ? 'application/protobuf' : 'application/json')
  res.end(body)
}

function maxBytesOf(message: string | undefined): string {
  return /maximum size of (\d+) bytes/.exec(message ?? '')?.[1] ?? '0'
}
