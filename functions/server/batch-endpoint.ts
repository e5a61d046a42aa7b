import type { IncomingMessage, ServerResponse } from 'node:http'
import { runBatch, type CoordinatorDeps } from '../core/batch/coordinator.js'
import { BATCH_API_DEFAULTS, parseLimitedRequest, readJsonBody, withHeaderTenant, type BatchApiLimits } from '../core/contract/batch-api.js'
import { batchApiErrorAnswer } from '../core/contract/batch-api-errors.js'
import { RequestTooLargeError } from '../core/contract/errors.js'
import { batchAnswerJson, inlineOrLinkedResultJson } from '../core/results/result-body.js'
import { headerValue } from './request-params.js'
import type { Admission } from './admission.js'

/** What `POST /v1/batch` on the local server needs. */
export interface BatchEndpointOptions {
  batch: CoordinatorDeps
  /** The contract's limits; unset ones take `BATCH_API_DEFAULTS`. */
  limits?: Partial<BatchApiLimits>
  /** Back-pressure: runs the batch once the request is valid, or refuses it (429) when the server is full. */
  admission?: Admission
}

/**
 * `POST /v1/batch` of the local server, by the same contract as the deployed API
 * (`core/contract/batch-api`): the same parsing, limits, answer shape and status table. A result too
 * large to inline is answered with its `location` (a local file or `s3://` object); there is no URL to
 * presign here. Never throws: every failure is answered.
 */
export async function answerBatch(req: IncomingMessage, res: ServerResponse, options: BatchEndpointOptions): Promise<void> {
  const limits = { ...BATCH_API_DEFAULTS, ...options.limits }
  try {
    const request = parseLimitedRequest(await readContractJson(req, limits), limits)
    const run = () => runBatch(request, options.batch)
    const outcome = await (options.admission ? options.admission.run(request.traces.length, run) : run())
    const result = await inlineOrLinkedResultJson(options.batch.resultStore, outcome.manifest.resultKey, {
      inlineResultMaxBytes: limits.inlineResultMaxBytes,
      link: async () => ({ location: outcome.manifest.location }),
    })
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(batchAnswerJson(outcome, result))
  } catch (error) {
    if (res.headersSent) return void res.destroy()
    const answer = batchApiErrorAnswer(error, { exposeInternal: true })
    // A refused body may still be arriving: answer, then close rather than read the rest.
    const close = error instanceof RequestTooLargeError ? { connection: 'close' } : {}
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers, ...close })
    res.end(JSON.stringify(answer.body))
  }
}

/**
 * A request body by the batch API's rules (size, content type, strict UTF-8 and JSON) with the tenant taken
 * from `X-Scope-OrgID` when the body names none (and refused when the two disagree): `/v1/batch` and
 * `/v1/compare` read their bodies through this.
 */
export async function readContractJson(req: IncomingMessage, limits: Pick<BatchApiLimits, 'maxBodyBytes'>): Promise<unknown> {
  const body = readJsonBody(await readBody(req, limits.maxBodyBytes), headerValue(req, 'content-type'), limits.maxBodyBytes)
  return withHeaderTenant(body, headerValue(req, 'x-scope-orgid'))
}


// At most `limit` bytes are held: a larger declared length is refused before reading, a longer stream at the limit.
async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(headerValue(req, 'content-length') ?? Number.NaN)
  if (declared > limit) throw new RequestTooLargeError('body', `is ${declared} bytes, more than the limit of ${limit}`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new RequestTooLargeError('body', `is more than the limit of ${limit} bytes`)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}
