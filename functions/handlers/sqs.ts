import { PublishCommand, SNSClient } from '@aws-sdk/client-sns'
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda'
import type { BatchOutcome } from '../core/batch/coordinator.js'
import { InvalidRequestError, describeError } from '../core/contract/errors.js'
import { validateRequestId } from '../core/contract/request.js'
import { validateTenant } from '../core/storage/layout.js'
import { readSqsConfig } from '../config/read-config.js'
import { logger, publishFailureMetric, withRequestKeys } from './shared/observability.js'
import { parseDeploymentRequest, parseJsonBody } from './shared/request.js'
import { coordinatorDeps, invocationDeadline, lazy, MERGE_MARGIN_MS, runObservedBatch } from './shared/runtime.js'

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

/** What the completion topic receives for a message that is not a valid request (it is deleted, not retried). */
export interface RejectionNotice {
  messageId: string
  /** The request's own requestId when it had a valid one, else the message ID. */
  requestId: string
  status: 'rejected'
  /** The tenant named by the message, when it is a valid tenant this deployment serves (filter policies on `tenant` still work). */
  tenant?: string
  field: string
  error: string
}

/**
 * SQS: each message is one batch request; its requestId defaults to the message ID, so a redelivered
 * message finds its manifest and is not read again. An invalid request is answered on SNS with the error
 * and deleted (retrying cannot fix it); other failures are reported as partial batch failures (retried,
 * then dead-lettered). Each finished request is announced on SNS.
 */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context)
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = []
  for (const record of event.Records) {
    try {
      await processMessage(record, context)
    } catch (error) {
      if (error instanceof InvalidRequestError && (await rejected(record, error))) continue
      logger.error('request message failed', { messageId: record.messageId, receiveCount: record.attributes?.ApproximateReceiveCount, error: describeError(error) })
      batchItemFailures.push({ itemIdentifier: record.messageId })
      publishFailureMetric('Failed')
    }
  }
  return { batchItemFailures }
}

// Answer an invalid message on the topic; false when even that failed (the message is then retried).
async function rejected(record: SQSRecord, error: InvalidRequestError): Promise<boolean> {
  const body = parsedObject(record.body)
  const tenant = servedTenant(body?.tenant)
  const notice: RejectionNotice = {
    messageId: record.messageId,
    requestId: validOrUndefined(() => validateRequestId(body?.requestId)) ?? record.messageId,
    status: 'rejected',
    ...(tenant !== undefined ? { tenant } : {}),
    field: error.field,
    error: describeError(error),
  }
  logger.warn('request message rejected', { messageId: record.messageId, field: error.field, error: notice.error })
  try {
    await publish(notice, notice.tenant)
  } catch (publishError) {
    logger.error('rejection notice not published', { messageId: record.messageId, error: describeError(publishError) })
    return false
  }
  publishFailureMetric('Rejected')
  return true
}

// The rejected message's tenant is unchecked input: it tags the notice (subscribers filter on it) only
// when it is a valid tenant this deployment serves, so a message cannot speak into another tenant's feed
// under a name the deployment refuses, nor carry junk into a message attribute.
function servedTenant(claimed: unknown): string | undefined {
  const tenant = validOrUndefined(() => validateTenant(claimed))
  const allowed = config().allowedTenants ?? []
  return tenant !== undefined && (allowed.length === 0 || allowed.includes(tenant)) ? tenant : undefined
}

function validOrUndefined(check: () => string): string | undefined {
  try {
    return check()
  } catch {
    return undefined
  }
}

function parsedObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

async function publish(notice: CompletionNotice | RejectionNotice, tenant: string | undefined): Promise<void> {
  await sns().send(new PublishCommand({
    TopicArn: config().completionTopicArn,
    Message: JSON.stringify(notice),
    MessageAttributes: {
      ...(tenant !== undefined ? { tenant: { DataType: 'String', StringValue: tenant } } : {}),
      status: { DataType: 'String', StringValue: notice.status },
    },
  }))
}

async function processMessage(record: SQSRecord, context: Context): Promise<void> {
  const request = parseDeploymentRequest(parseJsonBody(record.body), config(), record.messageId)
  await withRequestKeys({ requestId: request.requestId, tenant: request.tenant }, async () => {
    const outcome = await runObservedBatch(request, { ...deps(), deadline: invocationDeadline(context, MERGE_MARGIN_MS) })
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
    await publish(notice, manifest.tenant)
  })
}
