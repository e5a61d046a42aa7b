import type { ServerResponse } from 'node:http'

/** Send a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify(body))
}

/** Send a plain-text body. */
export function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status
  res.setHeader('content-type', 'text/plain; charset=utf-8')
  res.end(text)
}

/** Send a text answer exactly as Go's `http.Error` writes it (Tempo's echo, ready and error bodies). */
export function sendGoHttpError(res: ServerResponse, status: number, text: string): void {
  res.setHeader('x-content-type-options', 'nosniff')
  sendText(res, status, text + '\n')
}

/** Send a binary protobuf body. */
export function sendProtobuf(res: ServerResponse, status: number, body: Uint8Array): void {
  res.statusCode = status
  res.setHeader('content-type', 'application/protobuf')
  res.end(body)
}
