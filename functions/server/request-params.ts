import type { IncomingMessage } from 'node:http'
import { InvalidRequestError } from '../core/contract/errors.js'

/** An optional unix-seconds query parameter (Tempo's `start`/`end`); 400 naming it when malformed. */
export function secondsParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name)
  if (raw === null || raw === '') return undefined
  if (!/^\d+$/.test(raw)) throw new InvalidRequestError(name, `${JSON.stringify(raw.slice(0, 40))} must be unix seconds`)
  return Number(raw)
}

/** The first value of a request header. */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** Tempo's tenant header, `single-tenant` when absent (Tempo without multitenancy). */
export function tenantOf(req: IncomingMessage): string {
  return headerValue(req, 'x-scope-orgid') ?? 'single-tenant'
}

/** The request body parsed as JSON, at most `limit` bytes. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
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

/** The JSON body of a batch-like request; the tenant may come from Tempo's header instead of the body. */
export async function readTenantBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readJsonBody(req, limit)
  const headerTenant = headerValue(req, 'x-scope-orgid')
  if (headerTenant !== undefined && typeof body === 'object' && body !== null && !('tenant' in body)) (body as Record<string, unknown>).tenant = headerTenant
  return body
}

/** Default largest request body: 4 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024
