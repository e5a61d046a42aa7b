import type { ReaderDeps } from '../core/batch/reader.js'
import { TempoLayout } from '../core/storage/layout.js'
import { openStore } from './store-url.js'
import type { EmbeddedWorkerConfig } from './embedded-invoker.js'

/**
 * Files of Tempo's backend kept open per thread when it is a directory: blocks never change, and a
 * block's data.parquet is read in many ranged reads.
 */
export const TEMPO_OPEN_FILES = 64

/** A reader's dependencies from the embedded pool's config (stores opened from their URLs). */
export async function openReaderDeps(config: EmbeddedWorkerConfig): Promise<ReaderDeps> {
  const [tempoStore, resultStore] = await Promise.all([
    openStore(config.store, { endpoint: config.endpoint, openFiles: TEMPO_OPEN_FILES }),
    openStore(config.results, { endpoint: config.endpoint }),
  ])
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
