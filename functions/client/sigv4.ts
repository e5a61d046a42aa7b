import { Sha256 } from '@aws-crypto/sha256-js'
import { SignatureV4 } from '@smithy/signature-v4'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, HttpRequest } from '@smithy/types'

/** Who signs, and for which region and service. */
export interface SigV4Options {
  region: string
  /** Default `execute-api` (API Gateway with IAM authorization). */
  service?: string
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider
}

/** A signer for one region and service (AWS's own SigV4 implementation). */
export function createSigner(options: SigV4Options): SignatureV4 {
  return new SignatureV4({ credentials: options.credentials, region: options.region, service: options.service ?? 'execute-api', sha256: Sha256 })
}

/** The request `fetch` will send, as the signer sees it (path and query split, `host` header set). */
export function signableRequest(url: URL, method: string, headers: Record<string, string>, body?: string): HttpRequest {
  const query: Record<string, string | string[]> = {}
  for (const [key, value] of url.searchParams) {
    const previous = query[key]
    query[key] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value]
  }
  return {
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query,
    headers: { ...headers, host: url.host },
    ...(body !== undefined ? { body } : {}),
  }
}

/** Sign a request: the headers to send (`authorization`, `x-amz-date`, `x-amz-content-sha256`, a session token if any). */
export async function signedHeaders(signer: SignatureV4, url: URL, method: string, headers: Record<string, string>, body?: string): Promise<Record<string, string>> {
  const signed = await signer.sign(signableRequest(url, method, headers, body))
  return Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== 'host'))
}
