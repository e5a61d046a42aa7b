import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Admission } from './admission.js'
import type { ServerOptions } from './options.js'

/** What a route's handler is given: the exchange, the parsed URL and the path's captured groups. */
export interface RouteRequest {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  /** Groups captured by a `RegExp` path (URL-decoded), in order. */
  params: readonly string[]
  options: ServerOptions
  /** The server's back-pressure: routes that run batches run them through it. */
  admission: Admission
}

/** One line of the server's route table. */
export interface Route {
  /** Methods served; any other gets a 405. */
  methods: readonly string[]
  /** An exact path, or a pattern anchored at both ends whose groups become `params`. */
  path: string | RegExp
  handle(request: RouteRequest): Promise<void> | void
}

/** The route for `method` and `pathname`, `'method not allowed'`, or undefined when no path matches. */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): { route: Route; params: string[] } | 'method not allowed' | undefined {
  let pathMatched = false
  for (const route of routes) {
    const params = matchPath(route.path, pathname)
    if (!params) continue
    pathMatched = true
    if (route.methods.includes(method)) return { route, params }
  }
  return pathMatched ? 'method not allowed' : undefined
}

function matchPath(path: string | RegExp, pathname: string): string[] | undefined {
  if (typeof path === 'string') return path === pathname ? [] : undefined
  const match = path.exec(pathname)
  return match ? match.slice(1).map((group) => decodeURIComponent(group ?? '')) : undefined
}
