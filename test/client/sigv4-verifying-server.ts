import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Sha256 } from '@aws-crypto/sha256-js'
import { SignatureV4 } from '@smithy/signature-v4'

/** A stand-in for API Gateway's IAM authorizer: recomputes each request's SigV4 signature with the known key. */
export interface VerifyingServer {
  url: string
  /** Requests whose signature matched, by path. */
  accepted: string[]
  close(): Promise<void>
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/

/**
 * Starts on 127.0.0.1. A request must carry `Authorization` for `accessKeyId` in `region`/`service`;
 * the server rebuilds the canonical request from what it received (method, path, query, the signed
 * headers, the body), signs it with `secretAccessKey` at the request's own `X-Amz-Date` using AWS's
 * signer, and answers 403 as API Gateway does unless the signatures are equal. Signed requests go to
 * `route`; unsigned ones only to paths under `/presigned/` (a presigned URL carries its own auth).
 */
export async function startVerifyingServer(
  keys: { accessKeyId: string; secretAccessKey: string; region: string; service: string },
  route: (req: IncomingMessage, res: ServerResponse, body: string, baseUrl: string) => void,
): Promise<VerifyingServer> {
  const accepted: string[] = []
  let baseUrl = ''
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const url = new URL(req.url ?? '/', baseUrl)
      if (url.pathname.startsWith('/presigned/')) return route(req, res, body, baseUrl)
      verify(req, url, body, keys).then(
        (problem) => {
          if (problem) {
            res.statusCode = 403
            res.setHeader('content-type', 'application/json')
            res.setHeader('x-amzn-errortype', 'InvalidSignatureException')
            res.end(JSON.stringify({ message: problem }))
            return
          }
          accepted.push(url.pathname)
          route(req, res, body, baseUrl)
        },
        (error: unknown) => {
          res.statusCode = 500
          res.end(String(error))
        },
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url: baseUrl, accepted, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

async function verify(req: IncomingMessage, url: URL, body: string, keys: { accessKeyId: string; secretAccessKey: string; region: string; service: string }): Promise<string | undefined> {
  const match = AUTHORIZATION.exec(String(req.headers.authorization ?? ''))
  if (!match) return 'Missing Authentication Token'
  const [, accessKeyId, , region, service, signedHeaderList, signature] = match
  if (accessKeyId !== keys.accessKeyId || region !== keys.region || service !== keys.service) return 'The security token included in the request is invalid.'
  const amzDate = String(req.headers['x-amz-date'] ?? '')
  const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`)
  if (Number.isNaN(signingDate.getTime())) return 'X-Amz-Date is missing or malformed'
  const signed = signedHeaderList!.split(';')
  if (!signed.includes('host') || !signed.includes('x-amz-date')) return 'host and x-amz-date must be signed'
  const headers: Record<string, string> = {}
  for (const name of signed) headers[name] = String(req.headers[name] ?? '')
  const query: Record<string, string> = {}
  for (const [k, v] of url.searchParams) query[k] = v
  const signer = new SignatureV4({ credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey }, region: keys.region, service: keys.service, sha256: Sha256 })
  const expected = await signer.sign(
    { method: req.method ?? 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query, headers, body },
    { signingDate, signableHeaders: new Set(signed) },
  )
  const want = /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization))?.[1]
  return want === signature ? undefined : 'The request signature we calculated does not match the signature you provided.'
}
