import { runBatch } from '../../core/batch/coordinator.js'
import { parseBatchRequest } from '../../core/contract/request.js'
import { ndjsonLines } from '../../core/results/ndjson.js'
import { readObjectChunks } from '../../core/storage/read-stream.js'
import { DEFAULT_MAX_BODY_BYTES, readTenantBody } from '../request-params.js'
import type { Route, RouteRequest } from '../router.js'

async function handleBatch({ req, res, options }: RouteRequest): Promise<void> {
  const body = await readTenantBody(req, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)
  const request = parseBatchRequest(body, { tenantMaxBytesPerTrace: options.lookup.tenantMaxBytesPerTrace })
  const outcome = await runBatch(request, options.batch)
  const { manifest } = outcome
  res.statusCode = 200
  res.setHeader('content-type', 'application/json')
  if (manifest.counts.requested > (options.inlineLines ?? 1000)) {
    res.end(JSON.stringify({ manifest, reused: outcome.reused, location: manifest.location }))
    return
  }
  // Inline results keep Tempo's JSON dialect byte-exact: the lines are embedded unparsed.
  const lines: string[] = []
  for await (const line of ndjsonLines(readObjectChunks(options.batch.resultStore, manifest.resultKey))) lines.push(line)
  res.end(`{"manifest":${JSON.stringify(manifest)},"reused":${outcome.reused},"results":[${lines.join(',')}]}`)
}

/** `POST /v1/batch`: the batch request; small results inline, large ones as a location. */
export const batchRoute: Route = { methods: ['POST'], path: '/v1/batch', handle: handleBatch }
