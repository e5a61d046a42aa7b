import { sendJson } from '../http-send.js'
import type { Route } from '../router.js'

/** Tempo v3 query-frontend endpoints that need Tempo's search or metrics engine, by feature. */
const NOT_SERVED: readonly { feature: string; paths: readonly (string | RegExp)[] }[] = [
  { feature: 'search', paths: ['/api/search'] },
  { feature: 'tag search', paths: ['/api/search/tags', '/api/v2/search/tags', /^\/api\/search\/tag\/([^/]+)\/values$/, /^\/api\/v2\/search\/tag\/([^/]+)\/values$/] },
  { feature: 'TraceQL metrics', paths: ['/api/metrics/query', '/api/metrics/query_range', '/api/metrics/summary'] },
  { feature: 'overrides', paths: ['/api/overrides'] },
  { feature: 'MCP', paths: ['/api/mcp'] },
]

/**
 * A 501 for each Tempo endpoint we do not serve, instead of a bare 404: a client (or a person reading
 * Grafana's error) learns the endpoint exists in Tempo but not here. `message` repeats `error` because
 * Grafana's Tempo data source shows `message` of an error body.
 */
export const notServedRoutes: readonly Route[] = NOT_SERVED.flatMap(({ feature, paths }) =>
  paths.map(
    (path): Route => ({
      methods: ['GET', 'POST'],
      path,
      handle: ({ res, url }) => {
        const error = `not implemented: tempo-batch serves Tempo's trace lookup by ID only; ${feature} (${url.pathname}) needs Tempo itself`
        sendJson(res, 501, { error, message: error })
      },
    }),
  ),
)
