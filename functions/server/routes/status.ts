import { buildInfo } from '../build-info.js'
import { sendGoHttpError } from '../http-send.js'
import type { Route } from '../router.js'

/**
 * The endpoints clients probe before a lookup, answered as Tempo v3 answers them: `GET /api/echo`
 * (Grafana's "Test" button) is `echo` in Go's `http.Error` form, `/api/status/buildinfo` (Grafana's
 * version check) is JSON with a trailing newline as Go's encoder writes it, `/ready` is `ready`.
 */
export const statusRoutes: readonly Route[] = [
  { methods: ['GET'], path: '/api/echo', handle: ({ res }) => sendGoHttpError(res, 200, 'echo') },
  {
    methods: ['GET'],
    path: '/api/status/buildinfo',
    handle: ({ res }) => {
      res.statusCode = 200
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(buildInfo()) + '\n')
    },
  },
  { methods: ['GET'], path: '/ready', handle: ({ res }) => sendGoHttpError(res, 200, 'ready') },
  { methods: ['GET'], path: '/healthz', handle: ({ res }) => sendGoHttpError(res, 200, 'ready') },
]
