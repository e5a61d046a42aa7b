import { createHash } from 'node:crypto'
import type { Context } from 'aws-lambda'
import type { BatchOutcome } from '../core/batch/coordinator.js'
import type { Manifest } from '../core/contract/types.js'
import { InvalidRequestError } from '../core/contract/errors.js'
import { validateRequestId } from '../core/contract/request.js'
import { readCoordinatorConfig } from '../config/read-config.js'
import { logger, withRequestKeys } from './shared/observability.js'
import { parseDeploymentRequest } from './shared/request.js'
import { coordinatorDeps, invocationDeadline, lazy, MERGE_MARGIN_MS, runObservedBatch } from './shared/runtime.js'

const config = lazy(() => readCoordinatorConfig())
const deps = lazy(() => coordinatorDeps(config()))

/** Step Functions caps a state's output at 256 KiB; stay clear of it. */
export const MAX_TASK_OUTPUT_BYTES = 200 * 1024

/** One chunk as a Distributed Map's ItemBatcher hands it over. */
export interface ChunkInput {
  BatchInput: Record<string, unknown> & { tenant: string; requestId: string }
  Items: unknown[]
}

/** The task's output: where the result and manifest lie, and the manifest itself when it fits. */
export interface TaskOutput {
  requestId: string
  tenant: string
  status: Manifest['status']
  counts: Manifest['counts']
  resultKey: string
  resultLocation: string
  manifestKey: string
  manifestLocation: string
  reused: boolean
  manifest?: Manifest
}

/**
 * Step Functions task: the input is a batch request, or a Distributed Map chunk
 * (`{ BatchInput: { tenant, requestId, ... }, Items: [ids] }`) whose requestId is derived from the
 * parent's and the chunk's IDs, so a retried chunk reuses its finished result. Invalid input throws
 * `InvalidRequestError` (a state machine should not retry it).
 */
export const handler = async (event: unknown, context: Context): Promise<TaskOutput> => {
  logger.addContext(context)
  const chunk = isChunk(event)
  const input = chunk ? chunkRequest(event) : event
  const request = parseDeploymentRequest(input, config())
  return withRequestKeys({ requestId: request.requestId, tenant: request.tenant }, async () => {
    const outcome = await runObservedBatch(request, { ...deps(), deadline: invocationDeadline(context, MERGE_MARGIN_MS) })
    // Map results are gathered into one state; per chunk a summary is enough (the manifest is in S3).
    return taskOutput(outcome, deps().resultStore.description, !chunk)
  })
}

function isChunk(event: unknown): event is ChunkInput {
  return typeof event === 'object' && event !== null && 'Items' in event && 'BatchInput' in event
}

function chunkRequest(event: ChunkInput): Record<string, unknown> {
  if (!Array.isArray(event.Items)) throw new InvalidRequestError('Items', 'must be an array')
  const parent = event.BatchInput
  if (typeof parent !== 'object' || parent === null) throw new InvalidRequestError('BatchInput', 'must be an object with tenant and requestId')
  // The chunk's ID is derived from the parent's: an empty or invalid parent ID must not pass as a valid-looking chunk ID.
  try {
    validateRequestId(parent.requestId)
  } catch (error) {
    if (error instanceof InvalidRequestError) throw new InvalidRequestError('BatchInput.requestId', error.problem)
    throw error
  }
  const digest = createHash('sha256').update(JSON.stringify(event.Items)).digest('hex').slice(0, 16)
  const { requestId, ...rest } = parent as { requestId: string }
  const field = event.Items.every((item) => typeof item === 'string') ? 'traceIds' : 'traces'
  return { ...rest, [field]: event.Items, requestId: `${requestId.slice(0, 100)}-${digest}` }
}

/** The task output for an outcome; the manifest is included when asked for and its shard list dropped if the output would near 256 KiB. */
export function taskOutput(outcome: BatchOutcome, storeDescription: string, withManifest: boolean): TaskOutput {
  const { manifest } = outcome
  const output: TaskOutput = {
    requestId: manifest.requestId,
    tenant: manifest.tenant,
    status: manifest.status,
    counts: manifest.counts,
    resultKey: manifest.resultKey,
    resultLocation: manifest.location,
    manifestKey: outcome.manifestKey,
    manifestLocation: `${storeDescription.replace(/\/$/, '')}/${outcome.manifestKey}`,
    reused: outcome.reused,
  }
  if (!withManifest) return output
  const full = { ...output, manifest }
  if (Buffer.byteLength(JSON.stringify(full)) <= MAX_TASK_OUTPUT_BYTES) return full
  // Many shards make the manifest long; the counts above and the manifest in S3 still say it all.
  return { ...output, manifest: { ...manifest, shards: [] } }
}
