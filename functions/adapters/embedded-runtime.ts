import { availableParallelism } from 'node:os'
import { EmbeddedInvoker } from './embedded-invoker.js'
import { TEMPO_OPEN_FILES } from './embedded-reader-deps.js'
import { closeStore, isS3Spec, openStore } from './store-url.js'
import type { CoordinatorDeps } from '../core/batch/coordinator.js'
import { TempoLayout } from '../core/storage/layout.js'
import type { BlockCache } from '../core/search/block-cache.js'

/** Where the embedded runtime reads blocks and writes results: the CLI's and the library's store options. */
export interface StoreArgs {
  store: string
  endpoint?: string
  results: string
  prefix: string
}

/** The embedded runtime: coordinator dependencies plus the worker pool to close afterwards. */
export interface EmbeddedRuntime {
  deps: CoordinatorDeps
  invoker: EmbeddedInvoker
  close(): Promise<void>
}

/**
 * Wire the coordinator for one machine: stores from their URLs, readers on a worker pool of up to one
 * thread per core (started as shards need them; small jobs run on this thread). Shards are small here
 * (one block is enough) so every worker has work.
 */
export async function createEmbeddedRuntime(args: StoreArgs, options: { workers?: number; resultsPrefix?: string; cache?: BlockCache } = {}): Promise<EmbeddedRuntime> {
  const workers = Math.max(1, options.workers ?? availableParallelism())
  const storeOptions = args.endpoint ? { endpoint: args.endpoint } : {}
  const cache = options.cache ? { cache: options.cache } : {}
  const invoker = new EmbeddedInvoker({ store: args.store, results: args.results, layoutPrefix: args.prefix, workers, blockConcurrency: 2, ...storeOptions, ...cache })
  const [tempoStore, resultStore] = await Promise.all([openStore(args.store, { ...storeOptions, openFiles: TEMPO_OPEN_FILES }), openStore(args.results, storeOptions)])
  const deps: CoordinatorDeps = {
    tempoStore,
    layout: new TempoLayout(args.prefix),
    resultStore,
    resultsPrefix: options.resultsPrefix ?? '',
    invoker,
    maxReaders: workers * 4,
    invokeConcurrency: workers * 2,
    minBlocksPerShard: 1,
    // Parts cross a network only when the results live in S3; on a local disk gzip is pure CPU.
    compressParts: isS3Spec(args.results),
  }
  return {
    deps,
    invoker,
    close: async () => {
      await invoker.close()
      await closeStore(tempoStore)
    },
  }
}
