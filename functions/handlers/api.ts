import { SQSClient } from '@aws-sdk/client-sqs'
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda'
import { readApiConfig } from '../config/read-config.js'
import { parseHttpBatchRequest } from '../core/contract/batch-api.js'
import { batchAnswerJson, inlineOrLinkedResultJson } from '../core/results/result-body.js'
import { handOverToQueue } from './shared/hand-over.js'
import { errorResponse, httpStatusOf, jsonResponse } from './shared/http-errors.js'
import { logger, publishFailureMetric, withRequestKeys } from './shared/observability.js'
import { presignGet } from './shared/presign-get.js'
import { coordinatorDeps, invocationDeadline, lazy, runObservedBatchUntil } from './shared/runtime.js'

const config = lazy(() => readApiConfig())
const deps = lazy(() => coordinatorDeps(config()))
// The configured endpoint (AWS's regional one, or AWS_ENDPOINT_URL), not the host inside the queue URL.
const sqs = lazy(() => new SQSClient({ useQueueUrlAsEndpoint: false }))

/**
 * The API answers this long before its function's timeout (which is API Gateway's 29 s integration
 * limit): time to hand the batch over and respond, so the caller gets our JSON, not the gateway's 504.
 */
export const API_ANSWER_MARGIN_MS = 3_000

/**
 * API Gateway (REST, proxy integration) `POST /v1/batch`: the batch API contract (`core/contract/batch-api`)
 * shared with the local server: validate, run the batch synchronously, answer with the manifest and the
 * result inline when small, else a short-lived presigned URL. A batch that cannot finish before the API's
 * time limit goes to the SQS request queue and is answered 202 with where its manifest will be. Errors by
 * the contract's one status table, never a stack trace.
 */
export const handler = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
  logger.addContext(context)
  const apiRequestId = event.requestContext?.requestId ?? context.awsRequestId
  try {
    const request = parseHttpBatchRequest(
      { body: bodyBytes(event), contentType: header(event, 'content-type'), headerTenant: header(event, 'x-scope-orgid') },
      { maxBodyBytes: config().maxRequestBytes, maxIds: config().maxIds ?? 10_000, allowedTenants: config().allowedTenants, tenantMaxBytesPerTrace: config().tenantMaxBytesPerTrace },
    )
    return await withRequestKeys({ requestId: request.requestId, tenant: request.tenant }, async () => {
      const outcome = await runObservedBatchUntil(request, deps(), invocationDeadline(context, API_ANSWER_MARGIN_MS))
      if (outcome === undefined) {
        const handedOver = await handOverToQueue(sqs(), config().requestQueueUrl, request, { description: deps().resultStore.description, prefix: config().resultPrefix })
        logger.info('batch handed over to the request queue', { manifestKey: handedOver.manifestKey })
        return jsonResponse(202, handedOver)
      }
      const store = deps().resultStore
      const expiresInSeconds = config().presignExpirySeconds
      const result = await inlineOrLinkedResultJson(store, outcome.manifest.resultKey, {
        inlineResultMaxBytes: config().inlineResultMaxBytes,
        link: async (key) => ({ location: outcome.manifest.location, url: await presignGet(store, key, expiresInSeconds), expiresInSeconds }),
      })
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: batchAnswerJson(outcome, result) }
    })
  } catch (error) {
    const status = httpStatusOf(error)
    if (status >= 500) logger.error('batch request failed', { apiRequestId, error: error as Error })
    else logger.warn('batch request rejected', { apiRequestId, status, error: error instanceof Error ? error.message : String(error) })
    publishFailureMetric(status >= 500 ? 'Failed' : status === 429 ? 'Throttled' : 'Rejected')
    return errorResponse(error, apiRequestId)
  }
}

function bodyBytes(event: APIGatewayProxyEvent): Uint8Array | undefined {
  if (event.body === null || event.body === undefined) return undefined
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8')
}

// API Gateway keeps header names as sent; HTTP says they are case-insensitive.
function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === name && value !== undefined) return value
  return undefined
}
