import type { CoordinatorDeps } from '../../functions/core/batch/coordinator.js'
import { InProcessInvoker } from '../../functions/core/batch/in-process-invoker.js'
import type { Manifest, ResultLine } from '../../functions/core/contract/types.js'
import { readResultLines } from '../../functions/core/results/result-lines.js'
import { TempoLayout } from '../../functions/core/storage/layout.js'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import type { ObjectStore } from '../../functions/core/storage/object-store.js'

/** Coordinator dependencies over `tempoStore` with readers on this thread and results in memory. */
export function memoryBatchDeps(tempoStore: ObjectStore, overrides: Partial<CoordinatorDeps> = {}): CoordinatorDeps & { resultStore: ObjectStore } {
  const layout = overrides.layout ?? new TempoLayout('')
  const resultStore = overrides.resultStore ?? new MemoryStore()
  return {
    tempoStore,
    layout,
    resultStore,
    resultsPrefix: 'results',
    invoker: new InProcessInvoker({ tempoStore, layout, resultStore }),
    minBlocksPerShard: 1,
    discovery: { source: 'listing' },
    ...overrides,
  }
}

/** Every line of a batch's result. */
export async function resultLines(store: ObjectStore, manifest: Pick<Manifest, 'resultKey'>): Promise<ResultLine[]> {
  const out: ResultLine[] = []
  for await (const line of readResultLines(store, manifest.resultKey)) out.push(line)
  return out
}
