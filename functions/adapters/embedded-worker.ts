import { parentPort, workerData } from 'node:worker_threads'
import { describeError } from '../core/contract/errors.js'
import { runReaderJob } from '../core/batch/reader.js'
import type { ReaderJob } from '../core/contract/types.js'
import { TempoLayout } from '../core/storage/layout.js'
import { openStore } from './store-url.js'
import type { EmbeddedWorkerConfig, WorkerReply, WorkerTask } from './embedded-invoker.js'

// One reader per message; the stores are opened once per worker from their URLs.
const config = workerData as EmbeddedWorkerConfig
const deps = {
  tempoStore: openStore(config.store, { endpoint: config.endpoint }),
  resultStore: openStore(config.results, { endpoint: config.endpoint }),
  layout: new TempoLayout(config.layoutPrefix ?? ''),
  blockConcurrency: config.blockConcurrency,
  idsPerChunk: config.idsPerChunk,
  readWindowBytes: config.readWindowBytes,
  fetchRoundBytes: config.fetchRoundBytes,
}

parentPort!.on('message', (task: WorkerTask) => {
  const job: ReaderJob = task.job
  runReaderJob(job, deps).then(
    (summary) => parentPort!.postMessage({ id: task.id, summary } satisfies WorkerReply),
    (error: unknown) => parentPort!.postMessage({ id: task.id, error: describeError(error) } satisfies WorkerReply),
  )
})
