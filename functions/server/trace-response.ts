import type { ServerResponse } from 'node:http'
import { encodeTrace, encodeTraceByIdResponse } from '../core/otlp/protobuf.js'
import { traceByIdV2JsonAround, traceJsonToV1, traceToJson } from '../core/otlp/json.js'
import type { Trace } from '../core/otlp/model.js'
import { TempoBatchError } from '../core/contract/errors.js'
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
  const protobuf = wantsProtobuf(options.accept)
  const tooLarge = result.status === 'too_large'
  // JSON answers embed the readers' JSON when the lookup kept it (no model was built).
  const json = result.traceJson ?? (result.trace ? traceToJson(result.trace) : undefined)
  if (!options.v2) {
    if (tooLarge) return sendText(res, 422, `trace exceeds max size (max bytes: ${maxBytesOf(result.message)})`)
    if (json === undefined) {
      res.statusCode = 404
      res.end()
      return
    }
    return send(res, protobuf, protobuf ? encodeTrace(modelOf(result)) : traceJsonToV1(json))
  }
  const fields = { partial: tooLarge, inspectedBytes: found.bytesRead, ...(tooLarge && result.message ? { message: result.message } : {}) }
  if (protobuf) return send(res, true, encodeTraceByIdResponse({ ...fields, trace: json === undefined ? undefined : modelOf(result) }))
  send(res, false, traceByIdV2JsonAround(json ?? '{}', fields))
}

/** True when the client asked for protobuf (the lookup must then keep the trace's model). */
export function wantsProtobuf(accept: string): boolean {
  return accept.includes('application/protobuf')
}

function modelOf(result: LookupResult['result']): Trace {
  if (!result.trace) throw new TempoBatchError(`trace ${result.traceId}: the lookup kept no model for a protobuf answer`)
  return result.trace
}

function send(res: ServerResponse, protobuf: boolean, body: string | Uint8Array): void {
  res.statusCode = 200
  res.setHeader('content-type', protobuf ? 'application/protobuf' : 'application/json')
  res.end(body)
}

function maxBytesOf(message: string | undefined): string {
  return /maximum size of (\d+) bytes/.exec(message ?? '')?.[1] ?? '0'
}
