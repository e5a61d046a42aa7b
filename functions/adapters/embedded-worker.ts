import { parentPort, workerData } from 'node:worker_threads'
import { describeError } from '../core/contract/errors.js'
import { runReaderJob } from '../core/batch/reader.js'
import { openReaderDeps } from './embedded-reader-deps.js'
import type { EmbeddedWorkerConfig, WorkerReply, WorkerTask } from './embedded-invoker.js'

// One reader per message; the stores are opened once per worker from their URLs.
const deps = openReaderDeps(workerData as EmbeddedWorkerConfig)
// Awaited per message (not at the top): the listener is in place before the first message can arrive.
deps.catch(() => undefined)

parentPort!.on('message', (task: WorkerTask) => {
  deps.then((d) => runReaderJob(task.job, d)).then(
    (summary) => parentPort!.postMessage({ id: task.id, summary } satisfies WorkerReply),
    (error: unknown) => parentPort!.postMessage({ id: task.id, error: describeError(error) } satisfies WorkerReply),
  )
})
