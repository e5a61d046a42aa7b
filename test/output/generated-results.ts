import { runBatch } from '../../functions/core/batch/coordinator.js'
import { InProcessInvoker } from '../../functions/core/batch/in-process-invoker.js'
import { parseBatchRequest } from '../../functions/core/contract/request.js'
import { ndjsonLines } from '../../functions/core/results/ndjson.js'
import { readObjectChunks } from '../../functions/core/storage/read-stream.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import { generatedStore, GENERATED } from '../server/generated-server.js'

let cached: Promise<string[]> | undefined

/** The result lines of one batch over every ID of the generated tenant plus two absent ones. */
export function generatedResultLines(): Promise<string[]> {
  cached ??= (async () => {
    const { store, summary } = await generatedStore()
    const layout = new TempoLayout('')
    const resultStore = new MemoryStore()
    const request = parseBatchRequest({ tenant: GENERATED.tenant, traceIds: [...summary.traceIds, 'ffff', 'eeee'] })
    const invoker = new InProcessInvoker({ tempoStore: store, layout, resultStore })
    const { manifest } = await runBatch(request, { tempoStore: store, layout, resultStore, resultsPrefix: 'r', invoker })
    const lines: string[] = []
    for await (const line of ndjsonLines(readObjectChunks(resultStore, manifest.resultKey))) lines.push(line)
    return lines
  })()
  return cached
}
