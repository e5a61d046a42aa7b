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
