import { expect } from 'vitest'
import { runBatch, type BatchOutcome, type CoordinatorDeps } from '../../functions/core/batch/coordinator.js'
import type { EmbeddedInvoker } from '../../functions/adapters/embedded-invoker.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import type { ObjectStore } from '../../functions/core/storage/object-store.js'
import { parseBatchRequest } from '../../functions/core/contract/request.js'
import { readResultLines } from '../../functions/core/results/result-lines.js'
import type { ResultLine } from '../../functions/core/contract/types.js'
import { expectedStatus, type FORMATS, loadGoldens, requestEntry, roundsOf, TENANT_LIMITS, TENANTS } from './goldens.js'

/** Per tenant, how many golden records matched; plus a line per mismatch. */
export interface GoldenRoundsResult {
  matched: Record<string, number>
  mismatches: string[]
}

/**
 * Run every golden query of `format` through `runBatch` with `deps` (one request per round of compatible
 * windows) and compare each result line with Tempo's v2 answer: status, trace JSON and the too-large message.
 * The store setup is the caller's; `onOutcome` adds store-specific checks.
 */
export async function runGoldenRounds(
  format: (typeof FORMATS)[number],
  deps: CoordinatorDeps,
  onOutcome?: (outcome: BatchOutcome, tenant: string, requestId: string) => void,
): Promise<GoldenRoundsResult> {
  const mismatches: string[] = []
  const matched: Record<string, number> = {}
  for (const tenant of TENANTS) {
    let count = 0
    for (const [index, round] of roundsOf(loadGoldens(format, tenant)).entries()) {
      const requestId = `${tenant}-round-${index}`
      const request = parseBatchRequest({ tenant, traces: round.map(requestEntry), requestId }, { tenantMaxBytesPerTrace: TENANT_LIMITS })
      const outcome = await runBatch(request, deps)
      expect(outcome.reused).toBe(false)
      onOutcome?.(outcome, tenant, requestId)
      const lines = new Map<string, ResultLine>()
      for await (const line of readResultLines(deps.resultStore, outcome.manifest.resultKey)) lines.set(line.traceId, line)
      expect(lines.size).toBe(request.traces.length)
      for (const record of round) {
        const line = lines.get(record.traceId)
        const status = expectedStatus(record)
        const wanted = status === 'not_found' ? undefined : record.v2.trace
        const where = `${tenant} ${record.traceId} [${record.start},${record.end}] ${record.category}`
        if (!line) mismatches.push(`${where}: no line`)
        else if (line.status !== status) mismatches.push(`${where}: status ${line.status} (${line.message ?? ''}), want ${status}`)
        else if (JSON.stringify(line.trace) !== JSON.stringify(wanted)) mismatches.push(`${where}: trace differs`)
        else if (status === 'too_large' && line.message !== record.v2.message) mismatches.push(`${where}: message ${line.message}`)
        else count++
      }
      expect(outcome.manifest.status).toBe('complete')
    }
    matched[tenant] = count
  }
  return { matched, mismatches }
}

/**
 * `runGoldenRounds` through the CLI's wiring: the embedded worker pool `invoker` (closed afterwards), shards
 * of one block or more, and discovery pinned to Tempo's steady state (compacted inputs, freshly copied,
 * would otherwise sit inside the grace window). Expects every record of both tenants to match.
 */
export async function expectGoldensThroughEmbeddedPool(
  format: (typeof FORMATS)[number],
  stores: { tempoStore: ObjectStore; resultStore: ObjectStore },
  invoker: EmbeddedInvoker,
  label: string,
  onOutcome?: (outcome: BatchOutcome, tenant: string, requestId: string) => void,
): Promise<void> {
  const deps: CoordinatorDeps = {
    ...stores,
    layout: new TempoLayout(''),
    resultsPrefix: format,
    invoker,
    maxReaders: 8,
    minBlocksPerShard: 1,
    discovery: { compactedGraceMs: 0 },
  }
  let result: GoldenRoundsResult
  try {
    result = await runGoldenRounds(format, deps, onOutcome)
  } finally {
    await invoker.close()
  }
  const { matched, mismatches } = result
  console.info(`[goldens ${format}] ${label} matched`, matched, mismatches.length ? `mismatches: ${mismatches.length}` : '')
  expect(mismatches.slice(0, 20)).toEqual([])
  expect(matched).toEqual({ 'single-tenant': 656, 'tenant-b': 115 })
}
