import { InvalidRequestError } from '../core/contract/errors.js'
import { parseBatchRequest } from '../core/contract/request.js'
import type { BatchRequest } from '../core/contract/types.js'
import { optionalInteger, UsageError } from './args.js'
import { checkedTraceIds, readIdsFile, type IdToken } from './id-files.js'

/** The request options of `fetch`, as `parseArgs` returns them. */
export interface FetchRequestArgs {
  tenant?: string
  ids?: string[]
  id?: string[]
  start?: string
  end?: string
  'max-bytes-per-trace'?: string
  'request-id'?: string
}

// The request's fields as the user wrote them on the command line.
const FLAG_OF_FIELD: Record<string, string> = {
  tenant: '--tenant',
  traceIds: '--ids',
  start: '--start',
  end: '--end',
  maxBytesPerTrace: '--max-bytes-per-trace',
  requestId: '--request-id',
}

/**
 * Build the batch request of `fetch`: IDs from `--id` and every `--ids` file, each checked where it was
 * written; errors name the flag (or the file and line), never a position inside the request.
 */
export async function readFetchRequest(values: FetchRequestArgs): Promise<BatchRequest> {
  if (values.tenant === undefined) throw new UsageError('--tenant', 'is required')
  const tokens: IdToken[] = (values.id ?? []).map((value) => ({ value, where: '--id' }))
  for (const file of values.ids ?? []) tokens.push(...(await readIdsFile(file)))
  if (tokens.length === 0) throw new UsageError('--ids', 'give --ids <file|-> or at least one --id <hex>')
  const traceIds = checkedTraceIds(tokens)
  const maxBytes = optionalInteger(values['max-bytes-per-trace'], '--max-bytes-per-trace')
  return parseCommandLineRequest({
    tenant: values.tenant,
    traceIds,
    start: optionalInteger(values.start, '--start'),
    end: optionalInteger(values.end, '--end'),
    ...(values['request-id'] !== undefined ? { requestId: values['request-id'] } : {}),
    ...(maxBytes !== undefined ? { maxBytesPerTrace: maxBytes } : {}),
  })
}

/** `parseBatchRequest` for a request built from flags: its errors name the flag (`--start`), not the request field. */
export function parseCommandLineRequest(input: Record<string, unknown>): BatchRequest {
  try {
    return parseBatchRequest(input)
  } catch (error) {
    if (error instanceof InvalidRequestError && !(error instanceof UsageError)) {
      const flag = FLAG_OF_FIELD[error.field]
      if (flag !== undefined) throw new UsageError(flag, error.problem)
    }
    throw error
  }
}
