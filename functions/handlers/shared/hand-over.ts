import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs'
import { requestToJson } from '../../core/contract/request.js'
import type { BatchRequest } from '../../core/contract/types.js'
import { ResultKeys } from '../../core/results/keys.js'

/** The API's answer for a batch it handed to the request queue: where its manifest will be, and that it runs. */
export interface HandedOver {
  status: 'running'
  requestId: string
  tenant: string
  manifestKey: string
  manifestLocation: string
  message: string
}

/**
 * Hand a batch the API cannot finish before API Gateway's limit to the SQS request queue: the SQS
 * coordinator runs it under the same request ID (and announces it on the completions topic).
 */
export async function handOverToQueue(sqs: SQSClient, queueUrl: string, request: BatchRequest, results: { description: string; prefix: string }): Promise<HandedOver> {
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(requestToJson(request)) }))
  const manifestKey = new ResultKeys(results.prefix, request.tenant, request.requestId).manifest
  return {
    status: 'running',
    requestId: request.requestId,
    tenant: request.tenant,
    manifestKey,
    manifestLocation: `${results.description.replace(/\/$/, '')}/${manifestKey}`,
    message: 'the batch did not finish within the API time limit and continues from the request queue: the manifest appears at manifestLocation when it is done, and POSTing the same request again then returns the result',
  }
}
