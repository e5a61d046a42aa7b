import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { runBatch, type CoordinatorDeps } from '../core/batch/coordinator.js'
import { ndjsonLines } from '../core/results/ndjson.js'
import { parseBatchRequest } from '../core/contract/request.js'
import { describeError, InvalidRequestError, RequestConflictError } from '../core/contract/errors.js'
import { readObjectChunks } from '../core/storage/read-stream.js'
import { lookupTrace, type TraceLookupDeps } from './trace-lookup.js'
import { sendJson, sendText } from './http-send.js'
import { answerTraceById, wantsProtobuf } from './trace-response.js'
import { answerCompare } from './compare-route.js'

/** Options of the local server. */
export interface ServerOptions {
  /** The batch path (`POST /v1/batch`): usually the embedded runtime's coordinator deps. */
  batch: CoordinatorDeps
  /** The single-trace path (`GET /api/traces/{id}`, `/api/v2/traces/{id}`). */
  lookup: TraceLookupDeps
  host?: string
  port?: number
  /** Results with at most this many lines are returned inline by `POST /v1/batch` (default 1000). */
  inlineLines?: number
  /** Largest accepted request body (default 4 MiB). */
  maxBodyBytes?: number
}

/** A running server. */
export interface RunningServer {
  url: string
  port: number
  server: Server
  close(): Promise<void>
}

const TRACE_PATH = /^\/api\/(v2\/)?traces\/([^/]+)$/

/**
 * The local HTTP server, bound to 127.0.0.1 by default. Bad input is a 400 JSON naming the field;
 * failures are a one-line 500 without a stack.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const server = createServer((req, res) => {
    handle(req, res, options).catch((error: unknown) => sendError(res, error))
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, options: ServerOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const traceMatch = TRACE_PATH.exec(url.pathname)
  if (traceMatch) {
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'method not allowed' })
    const tenant = headerValue(req, 'x-scope-orgid') ?? 'single-tenant'
    const traceId = decodeURIComponent(traceMatch[2]!)
    const query = { tenant, traceId, start: secondsParam(url, 'start'), end: secondsParam(url, 'end') }
    const accept = headerValue(req, 'accept') ?? ''
    const found = await lookupTrace(query, options.lookup, { model: wantsProtobuf(accept) })
    return answerTraceById(res, found, { v2: traceMatch[1] !== undefined, accept })
  }
  if (url.pathname === '/v1/batch') {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' })
    return handleBatch(req, res, options)
  }
  if (url.pathname === '/v1/compare') {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' })
    const wantsHtml = url.searchParams.get('format') === 'html' || (headerValue(req, 'accept') ?? '').includes('text/html')
    return answerCompare(res, await readTenantBody(req, options), wantsHtml, options.batch, { tenantMaxBytesPerTrace: options.lookup.tenantMaxBytesPerTrace })
  }
  if (url.pathname === '/ready' || url.pathname === '/healthz') return sendText(res, 200, 'ready')
  sendJson(res, 404, { error: `no route for ${req.method} ${url.pathname}` })
}

async function handleBatch(req: IncomingMessage, res: ServerResponse, options: ServerOptions): Promise<void> {
  const body = await readTenantBody(req, options)
  const request = parseBatchRequest(body, { tenantMaxBytesPerTrace: options.lookup.tenantMaxBytesPerTrace })
  const outcome = await runBatch(request, options.batch)
  const { manifest } = outcome
  res.statusCode = 200
  res.setHeader('content-type', 'application/json')
  if (manifest.counts.requested > (options.inlineLines ?? 1000)) {
    res.end(JSON.stringify({ manifest, reused: outcome.reused, location: manifest.location }))
    return
  }
  // Inline results keep Tempo's JSON dialect byte-exact: the lines are embedded unparsed.
  const lines: string[] = []
  for await (const line of ndjsonLines(readObjectChunks(options.batch.resultStore, manifest.resultKey))) lines.push(line)
  res.end(`{"manifest":${JSON.stringify(manifest)},"reused":${outcome.reused},"results":[${lines.join(',')}]}`)
}

/** The JSON body; the tenant may come from Tempo's header instead of the body. */
async function readTenantBody(req: IncomingMessage, options: ServerOptions): Promise<unknown> {
  const body = await readJsonBody(req, options.maxBodyBytes ?? 4 * 1024 * 1024)
  const headerTenant = headerValue(req, 'x-scope-orgid')
  if (headerTenant !== undefined && typeof body === 'object' && body !== null && !('tenant' in body)) (body as Record<string, unknown>).tenant = headerTenant
  return body
}

function secondsParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name)
  if (raw === null || raw === '') return undefined
  if (!/^\d+$/.test(raw)) throw new InvalidRequestError(name, `${JSON.stringify(raw.slice(0, 40))} must be unix seconds`)
  return Number(raw)
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new InvalidRequestError('body', `is larger than ${limit} bytes`)
    chunks.push(chunk as Buffer)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new InvalidRequestError('body', 'is not valid JSON')
  }
}

function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  if (error instanceof InvalidRequestError) return sendJson(res, error instanceof RequestConflictError ? 409 : 400, { error: describeError(error), field: error.field })
  sendJson(res, 500, { error: describeError(error) })
}
