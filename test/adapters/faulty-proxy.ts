import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A loopback HTTP proxy in front of a real server that injects failures into the first N requests:
 * S3's `503 SlowDown`, a `500 InternalError`, a response whose body is cut off mid-stream, or a request
 * accepted and never answered. Used to prove the S3 adapter's retries and timeouts against the real SDK,
 * without mocks.
 */

/**
 * What to do to one request: `stall` reads the request and never answers (until `stop`), `short-range`
 * answers a ranged GET honestly but with only half the bytes (a consistent Content-Range and
 * Content-Length), `not-found` as S3 answers for a deleted object.
 */
export type Fault = 'slow-down' | 'internal-error' | 'access-denied' | 'cut-body' | 'short-range' | 'not-found' | 'stall' | 'pass'

/** A running proxy. */
export interface FaultyProxy {
  endpoint: string
  /** Faults still to inject, consumed one per request in order; afterwards requests pass. */
  faults: Fault[]
  /** Stall every request this matches (whatever `faults` says), e.g. the GETs of one object. */
  stallWhen?: (method: string, url: string) => boolean
  /** A fault for requests this matches (e.g. the GETs of one object), before `faults` is consulted. */
  faultWhen?: (method: string, url: string) => Fault | undefined
  /** Every request seen: method and path. */
  seen: Array<{ method: string; url: string; fault: Fault }>
  stop(): Promise<void>
}

function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' })
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>proxy</RequestId></Error>`)
}

/** Start a proxy on 127.0.0.1 forwarding to `target` (e.g. fauxqs's endpoint). */
export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  const upstream = new URL(target)
  const proxy: FaultyProxy = { endpoint: '', faults: [], seen: [], stop: async () => {} }

  const forward = (req: IncomingMessage, res: ServerResponse, fault: Fault): void => {
    const upstreamReq = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (upstreamRes) => {
        if (fault === 'short-range' && upstreamRes.statusCode === 206) {
          const chunks: Buffer[] = []
          upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk))
          upstreamRes.on('end', () => {
            const body = Buffer.concat(chunks)
            const half = body.subarray(0, Math.max(1, Math.floor(body.length / 2)))
            const [, start = '0', , size = '*'] = /^bytes (\d+)-(\d+)\/(.+)$/.exec(String(upstreamRes.headers['content-range'])) ?? []
            const headers = { ...upstreamRes.headers, 'content-length': String(half.length), 'content-range': `bytes ${start}-${Number(start) + half.length - 1}/${size}` }
            res.writeHead(206, headers)
            res.end(half)
          })
          return
        }
        if (fault === 'cut-body') {
          // Promise the full length, send half, then drop the connection.
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
          const chunks: Buffer[] = []
          upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk))
          upstreamRes.on('end', () => {
            const body = Buffer.concat(chunks)
            res.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))), () => res.destroy())
          })
          return
        }
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
        upstreamRes.pipe(res)
      },
    )
    upstreamReq.on('error', () => res.destroy())
    req.pipe(upstreamReq)
  }

  const server = createServer((req, res) => {
    const fault = proxy.stallWhen?.(req.method ?? '', req.url ?? '') ? 'stall' : (proxy.faultWhen?.(req.method ?? '', req.url ?? '') ?? proxy.faults.shift() ?? 'pass')
    proxy.seen.push({ method: req.method ?? '', url: req.url ?? '', fault })
    if (fault === 'stall') {
      // Take the request body so the client is waiting for an answer, then say nothing.
      req.resume()
      return
    }
    if (fault === 'slow-down' || fault === 'internal-error' || fault === 'access-denied' || fault === 'not-found') {
      req.resume()
      req.on('end', () => {
        if (fault === 'slow-down') xmlError(res, 503, 'SlowDown', 'Please reduce your request rate.')
        else if (fault === 'internal-error') xmlError(res, 500, 'InternalError', 'We encountered an internal error.')
        else if (fault === 'not-found') xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.')
        else xmlError(res, 403, 'AccessDenied', 'Access Denied')
      })
      return
    }
    forward(req, res, fault)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  proxy.stop = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections()
      server.close((error) => (error ? reject(error) : resolve()))
    })
  return proxy
}
