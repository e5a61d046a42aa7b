import { querierFinalizeTrace } from '../../core/combine/finalize.js'
import { encodeTrace } from '../../core/otlp/protobuf.js'
import { sendGoHttpError, sendProtobuf } from '../http-send.js'
import { secondsParam, tenantOf } from '../request-params.js'
import type { Route, RouteRequest } from '../router.js'
import { lookupTrace, type LookupResult } from '../trace-lookup.js'

/** Where Tempo's querier is pointed (`querier.trace_by_id.external.endpoint: http://host:3200/external`). */
export const EXTERNAL_PREFIX = '/external'

/** Default answer deadline: inside Tempo's default external timeout of 10 s. */
export const DEFAULT_EXTERNAL_TIMEOUT_MS = 9_000

/**
 * Tempo v3's external trace source contract (modules/querier/external/client.go): Tempo sends
 * `GET {endpoint}/api/traces/{32 hex}[?start=S][&end=E]` with `Accept: application/protobuf` and
 * `X-Scope-OrgID`, accepts 200 (body: `tempopb.Trace`) or 404 (body parsed as an empty trace), and fails
 * the whole query on any other status. So: the trace as one querier would combine it (no Zipkin
 * span-ID step: Tempo's frontend does that after combining us with its own blocks); a trace over the
 * size limit is 200 with what was combined up to the limit, so Tempo's own combiner finds it over the
 * limit and applies its PARTIAL (v2) or 422 (v1) rule; absent is 404 with an empty body; an unreadable
 * block is 500 (Tempo fails a query on its own block errors too); no answer within the deadline is 504,
 * before Tempo gives up on its own.
 */
async function externalTrace({ req, res, url, params, options, admission }: RouteRequest): Promise<void> {
  const query = { tenant: tenantOf(req), traceId: params[0]!, start: secondsParam(url, 'start'), end: secondsParam(url, 'end') }
  const timeoutMs = options.externalTimeoutMs ?? DEFAULT_EXTERNAL_TIMEOUT_MS
  // The readers stop at the deadline too: an answer nobody waits for is not worth reading.
  const deadline = Date.now() + timeoutMs
  const found = await withDeadline(lookupTrace(query, { ...options.lookup, admit: (ids, work) => admission.run(ids, work) }, { finalize: querierFinalizeTrace, deadline }), timeoutMs)
  // Readers stopped by the deadline leave their blocks partial: that is the same "no answer in time".
  if (found === undefined || (found.result.status === 'partial' && Date.now() >= deadline)) return sendGoHttpError(res, 504, `tempo-batch: no answer within ${timeoutMs} ms for trace ${query.traceId}`)
  const { result } = found
  if (result.status === 'partial') return sendGoHttpError(res, 500, `tempo-batch: ${result.message ?? 'some blocks could not be read'}`)
  if (!result.trace) {
    res.statusCode = 404
    res.end()
    return
  }
  sendProtobuf(res, 200, encodeTrace(result.trace))
}

// Answer at the deadline whatever the lookup is doing; its readers stop there on their own (a page being
// decoded is finished first), and whatever it answers after is dropped.
async function withDeadline(lookup: Promise<LookupResult>, ms: number): Promise<LookupResult | undefined> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms)
  })
  lookup.catch(() => undefined)
  try {
    return await Promise.race([lookup, expired])
  } finally {
    clearTimeout(timer)
  }
}

/** `GET /external/api/traces/{id}`: the querier-facing trace source. */
export const externalTraceRoute: Route = { methods: ['GET'], path: new RegExp(`^${EXTERNAL_PREFIX}/api/traces/([^/]+)$`), handle: externalTrace }
