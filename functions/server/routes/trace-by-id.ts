import { lookupTrace } from '../trace-lookup.js'
import { answerTraceById } from '../trace-response.js'
import { headerValue, secondsParam, tenantOf } from '../request-params.js'
import type { Route, RouteRequest } from '../router.js'

async function traceById({ req, res, url, params, options, admission }: RouteRequest, v2: boolean): Promise<void> {
  const query = { tenant: tenantOf(req), traceId: params[0]!, start: secondsParam(url, 'start'), end: secondsParam(url, 'end') }
  const found = await lookupTrace(query, { ...options.lookup, admit: (ids, work) => admission.run(ids, work) })
  answerTraceById(res, found, { v2, accept: headerValue(req, 'accept') ?? '' })
}

/** Tempo's trace-by-ID API as its query-frontend answers it (`/api/traces/{id}`, `/api/v2/traces/{id}`). */
export const traceByIdRoutes: readonly Route[] = [
  { methods: ['GET'], path: /^\/api\/traces\/([^/]+)$/, handle: (r) => traceById(r, false) },
  { methods: ['GET'], path: /^\/api\/v2\/traces\/([^/]+)$/, handle: (r) => traceById(r, true) },
]
