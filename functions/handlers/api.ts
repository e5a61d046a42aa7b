import { SQSClient } from '@aws-sdk/client-sqs'
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda'
import { readApiConfig } from '../config/read-config.js'
import { InvalidRequestError } from '../core/contract/errors.js'
import { handOverToQueue } from './shared/hand-over.js'
import { errorResponse, httpStatusOf, jsonResponse } from './shared/http-errors.js'
import { logger, publishFailureMetric, withRequestKeys } from './shared/observability.js'
import { RequestTooLargeError, parseDeploymentRequest, parseJsonBody } from './shared/request.js'
import { inlineOrLinkedResultJson } from './shared/result-body.js'
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
 * API Gateway (REST, proxy integration) `POST /v1/batch`: validate the body, run the batch synchronously,
 * answer with the manifest and the result inline when small, else a short-lived presigned URL. A batch
 * that cannot finish before the API's time limit goes to the SQS request queue and is answered 202 with
 * where its manifest will be. Errors are JSON with 400/403/409/413/429/500, never a stack trace.
 */
export const handler = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
  logger.addContext(context)
  const apiRequestId = event.requestContext?.requestId ?? context.awsRequestId
  try {
    const body = readBody(event, config().maxRequestBytes)
    const request = parseDeploymentRequest(parseJsonBody(body), config())
    return await withRequestKeys({ requestId: request.requestId, tenant: request.tenant }, async () => {
      const outcome = await runObservedBatchUntil(request, deps(), invocationDeadline(context, API_ANSWER_MARGIN_MS))
      if (outcome === undefined) {
        const handedOver = await handOverToQueue(sqs(), config().requestQueueUrl, request, { description: deps().resultStore.description, prefix: config().resultPrefix })
        logger.info('batch handed over to the request queue', { manifestKey: handedOver.manifestKey })
        return jsonResponse(202, handedOver)
      }
      const result = await inlineOrLinkedResultJson(deps().resultStore, config(), outcome.manifest.resultKey)
      const head = JSON.stringify({ manifest: outcome.manifest, manifestKey: outcome.manifestKey, reused: outcome.reused })
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: `${head.slice(0, -1)},"result":${result}}` }
    })
  } catch (error) {
    const status = httpStatusOf(error)
    if (status >= 500) logger.error('batch request failed', { apiRequestId, error: error as Error })
    else logger.warn('batch request rejected', { apiRequestId, status, error: error instanceof Error ? error.message : String(error) })
    publishFailureMetric(status >= 500 ? 'Failed' : status === 429 ? 'Throttled' : 'Rejected')
    return errorResponse(error, apiRequestId)
  }
}

function readBody(event: APIGatewayProxyEvent, maxBytes: number): string {
  if (event.body === null || event.body === undefined || event.body === '') throw new InvalidRequestError('body', 'is required')
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8')
  if (bytes.length > maxBytes) throw new RequestTooLargeError('body', `is ${bytes.length} bytes, more than the limit of ${maxBytes}`)
  return bytes.toString('utf8')
}
