import { PublishCommand, SNSClient } from '@aws-sdk/client-sns'
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda'
import type { BatchOutcome } from '../core/batch/coordinator.js'
import { InvalidRequestError, describeError } from '../core/contract/errors.js'
import { readSqsConfig } from '../config/read-config.js'
import { logger, publishFailureMetric, withRequestKeys } from './shared/observability.js'
import { parseDeploymentRequest, parseJsonBody } from './shared/request.js'
import { coordinatorDeps, lazy, runObservedBatch } from './shared/runtime.js'

const config = lazy(() => readSqsConfig())
const deps = lazy(() => coordinatorDeps(config()))
const sns = lazy(() => new SNSClient({}))

/** What the completion topic receives for each finished request. */
export interface CompletionNotice {
  requestId: string
  tenant: string
  status: 'complete' | 'partial'
  counts: BatchOutcome['manifest']['counts']
  manifestLocation: string
  resultLocation: string
  reused: boolean
}

/**
 * SQS: each message is one batch request; its requestId defaults to the message ID, so a redelivered
 * message finds its manifest and is not read again. Failed messages are reported as partial batch
 * failures (retried, then dead-lettered); each finished request is announced on SNS.
 */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context)
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = []
  for (const record of event.Records) {
    try {
      await processMessage(record)
    } catch (error) {
      logger.error('request message failed', { messageId: record.messageId, receiveCount: record.attributes?.ApproximateReceiveCount, error: describeError(error) })
      batchItemFailures.push({ itemIdentifier: record.messageId })
      publishFailureMetric(error instanceof InvalidRequestError ? 'Rejected' : 'Failed')
    }
  }
  return { batchItemFailures }
}

async function processMessage(record: SQSRecord): Promise<void> {
  const request = parseDeploymentRequest(parseJsonBody(record.body), config(), record.messageId)
  await withRequestKeys({ requestId: request.requestId, tenant: request.tenant }, async () => {
    const outcome = await runObservedBatch(request, deps())
    const { manifest } = outcome
    const store = deps().resultStore.description.replace(/\/$/, '')
    const notice: CompletionNotice = {
      requestId: manifest.requestId,
      tenant: manifest.tenant,
      status: manifest.status,
      counts: manifest.counts,
      manifestLocation: `${store}/${outcome.manifestKey}`,
      resultLocation: manifest.location,
      reused: outcome.reused,
    }
    await sns().send(new PublishCommand({
      TopicArn: config().completionTopicArn,
      Message: JSON.stringify(notice),
      MessageAttributes: {
        tenant: { DataType: 'String', StringValue: manifest.tenant },
        status: { DataType: 'String', StringValue: manifest.status },
      },
    }))
  })
}
