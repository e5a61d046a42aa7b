import type { ReaderDeps } from '../core/batch/reader.js'
import { TempoLayout } from '../core/storage/layout.js'
import { openStore } from './store-url.js'
import type { EmbeddedWorkerConfig } from './embedded-invoker.js'

/** A reader's dependencies from the embedded pool's config (stores opened from their URLs). */
export async function openReaderDeps(config: EmbeddedWorkerConfig): Promise<ReaderDeps> {
  const [tempoStore, resultStore] = await Promise.all([openStore(config.store, { endpoint: config.endpoint }), openStore(config.results, { endpoint: config.endpoint })])
  return {
    tempoStore,
    resultStore,
    layout: new TempoLayout(config.layoutPrefix ?? ''),
    blockConcurrency: config.blockConcurrency,
    idsPerChunk: config.idsPerChunk,
    readWindowBytes: config.readWindowBytes,
    fetchRoundBytes: config.fetchRoundBytes,
  }
}
