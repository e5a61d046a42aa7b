import { posix } from 'node:path'
import { canonical, TracesData } from './otlp-reference.js'

/**
 * A stand-in for Tempo v3's external trace client (modules/querier/external/client.go) and for the
 * querier's use of its answer: the URL is `url.JoinPath(endpoint, "/api/traces/" + hex(16-byte ID))`
 * with `start`/`end` set only when non-zero and encoded as Go's `url.Values.Encode` does (keys sorted),
 * `Accept: application/protobuf` and `X-Scope-OrgID`; any status but 200 and 404 is an error; the body
 * of either is unmarshalled as `tempopb.Trace` (here: by the reference OTLP decoder). The querier then
 * consumes it with Tempo's combiner: over `maxBytes` it is PARTIAL (v2) or a 422 error (v1).
 */

/** The external endpoint failed the query (what Tempo turns into an error for the user). */
export class ExternalQueryError extends Error {}

/** What Tempo's querier gets from the external shard. */
export interface ExternalAnswer {
  status: number
  /** The trace as the reference decoder reads it (no `resourceSpans` when absent). */
  trace: Record<string, unknown>
  /** The raw body (`tempopb.Trace` bytes; empty for 404). */
  body: Uint8Array
  /** Tempo's v2 rule: the consumed trace's protobuf size is over `maxBytes`. */
  partial: boolean
}

/** One external trace-by-ID call, as Tempo's querier makes it. */
export async function tempoExternalTraceById(
  endpoint: string,
  query: { tenant: string; traceIdHex: string; start?: number; end?: number; maxBytes?: number; allowPartial?: boolean; timeoutMs?: number },
): Promise<ExternalAnswer> {
  const url = new URL(endpoint)
  url.pathname = posix.join(url.pathname, '/api/traces/', query.traceIdHex.padStart(32, '0').toLowerCase())
  const params: [string, string][] = []
  if (query.end) params.push(['end', String(query.end)])
  if (query.start) params.push(['start', String(query.start)])
  url.search = params.map(([k, v]) => `${k}=${v}`).join('&')
  const response = await fetch(url, {
    headers: { Accept: 'application/protobuf', 'X-Scope-OrgID': query.tenant },
    // Tempo's default timeout is 10 s; tests on a shared, busy machine allow a minute unless they say otherwise.
    signal: AbortSignal.timeout(query.timeoutMs ?? 60_000),
  })
  const body = new Uint8Array(await response.arrayBuffer())
  if (response.status !== 200 && response.status !== 404) {
    throw new ExternalQueryError(`external endpoint returned status ${response.status}: ${Buffer.from(body).toString('utf8')}`)
  }
  let decoded: object
  try {
    decoded = TracesData.decode(body)
  } catch (error) {
    throw new ExternalQueryError(`failed to unmarshal external response: ${String(error)}`)
  }
  // gogo's Size() of the unmarshalled trace equals the canonical body's length.
  const over = (query.maxBytes ?? 0) > 0 && body.length > query.maxBytes!
  if (over && query.allowPartial === false) throw new ExternalQueryError(`trace exceeds max size (max bytes: ${query.maxBytes})`)
  return { status: response.status, trace: canonical(TracesData, decoded), body, partial: over }
}
