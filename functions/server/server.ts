import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { batchApiErrorAnswer } from '../core/contract/batch-api-errors.js'
import { Admission } from './admission.js'
import { sendJson } from './http-send.js'
import type { ServerOptions } from './options.js'
import { matchRoute, type Route } from './router.js'
import { batchRoute } from './routes/batch.js'
import { compareRoute } from './routes/compare.js'
import { externalTraceRoute } from './routes/external.js'
import { notServedRoutes } from './routes/not-served.js'
import { statusRoutes } from './routes/status.js'
import { traceByIdRoutes } from './routes/trace-by-id.js'

export type { ServerOptions } from './options.js'

/** A running server. */
export interface RunningServer {
  url: string
  port: number
  server: Server
  /** Back-pressure so far: peak batches and IDs in flight, admitted and refused (429) counts. */
  admission: Admission['stats']
  close(): Promise<void>
}

/** Every route the server answers; a new endpoint is one more line here (and its file in routes/). */
export const ROUTES: readonly Route[] = [
  ...traceByIdRoutes,
  batchRoute,
  compareRoute,
  externalTraceRoute,
  ...statusRoutes,
  ...notServedRoutes,
]

/**
 * The local HTTP server, bound to 127.0.0.1 by default. Bad input is a 400 JSON naming the field;
 * failures are a one-line 500 without a stack.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const admission = new Admission(options.admission)
  const server = createServer((req, res) => {
    handle(req, res, options, admission).catch((error: unknown) => sendError(res, error))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 3200, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    server,
    admission: admission.stats,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, options: ServerOptions, admission: Admission): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const method = req.method ?? 'GET'
  const matched = matchRoute(ROUTES, method, url.pathname)
  if (matched === 'method not allowed') return sendJson(res, 405, { error: `method ${method} not allowed on ${url.pathname}` })
  if (!matched) return sendJson(res, 404, { error: `no route for ${method} ${url.pathname}` })
  await matched.route.handle({ req, res, url, params: matched.params, options, admission })
}

function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  // A malformed %-escape in the path is bad input too, not a fault.
  if (error instanceof URIError) return sendJson(res, 400, { error: 'invalid request: path: malformed percent-encoding', field: 'path' })
  // The batch API's one status table (400/403/409/413/415/429/500) for every route.
  const answer = batchApiErrorAnswer(error, { exposeInternal: true })
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value)
  sendJson(res, answer.status, answer.body)
}
