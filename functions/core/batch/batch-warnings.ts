import type { BlockMeta } from '../blocks/block-meta.js'
import type { BatchRequest, BatchWarning } from '../contract/types.js'
import { unixSeconds } from '../plan/window.js'

/**
 * Answers that are technically right but probably not what the caller meant: nothing to search at all,
 * or a window that looks like milliseconds. Each is a one-line warning with a code a program can check,
 * so "0 found" never passes for a real answer silently.
 */

/** Unix seconds past this are in the year 5138: a window this large was almost surely given in milliseconds. */
export const MILLISECONDS_THRESHOLD = 100_000_000_000

/** What the warnings are computed from. */
export interface WarningInputs {
  request: BatchRequest
  /** Every block discovery listed (before time pruning). */
  blocks: readonly BlockMeta[]
  /** Blocks some requested ID searches. */
  blocksPlanned: number
  /** Blocks that exist but could not be described (they make IDs partial, so they are not "no blocks"). */
  unreadable: number
  /** Where the blocks were looked for, for the message. */
  storeDescription: string
}

/** The warnings of one batch, in a stable order. */
export function batchWarnings({ request, blocks, blocksPlanned, unreadable, storeDescription }: WarningInputs): BatchWarning[] {
  const warnings: BatchWarning[] = []
  const millis = millisecondFields(request)
  if (millis.length > 0) {
    warnings.push({
      code: 'window-in-milliseconds',
      message: `${millis.join(', ')} look${millis.length === 1 ? 's' : ''} like milliseconds; start and end are unix seconds`,
    })
  }
  if (blocks.length === 0 && unreadable === 0) {
    warnings.push({ code: 'no-blocks', message: `tenant ${JSON.stringify(request.tenant)} has no blocks in ${storeDescription}` })
  } else if (blocks.length > 0 && blocksPlanned === 0) {
    warnings.push({ code: 'window-excludes-all-blocks', message: `the time windows exclude all ${blocks.length} blocks of tenant ${JSON.stringify(request.tenant)} (${blockSpan(blocks)})` })
  }
  return warnings
}

function millisecondFields(request: BatchRequest): string[] {
  const fields: string[] = []
  if ((request.start ?? 0) > MILLISECONDS_THRESHOLD) fields.push('start')
  if ((request.end ?? 0) > MILLISECONDS_THRESHOLD) fields.push('end')
  const perId = request.traces.filter((t) => (t.start ?? 0) > MILLISECONDS_THRESHOLD || (t.end ?? 0) > MILLISECONDS_THRESHOLD).length
  if (perId > 0) fields.push(`the windows of ${perId} trace ID${perId === 1 ? '' : 's'}`)
  return fields
}

function blockSpan(blocks: readonly BlockMeta[]): string {
  let first = blocks[0]!.startTimeUnixNano
  let last = blocks[0]!.endTimeUnixNano
  for (const b of blocks) {
    if (b.startTimeUnixNano < first) first = b.startTimeUnixNano
    if (b.endTimeUnixNano > last) last = b.endTimeUnixNano
  }
  return `blocks span unix seconds ${unixSeconds(first)}..${unixSeconds(last)}`
}
