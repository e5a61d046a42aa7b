// Preloaded with `node --import` by the CLI start-up test: counts worker threads started and AWS SDK
// modules loaded by the process, and writes them to $STARTUP_PROBE_OUT at exit.
import { writeFileSync } from 'node:fs'
import { createRequire, syncBuiltinESMExports } from 'node:module'
import process from 'node:process'

const require = createRequire(import.meta.url)
const threads = require('node:worker_threads')
let workers = 0
const Original = threads.Worker
threads.Worker = class extends Original {
  constructor(...args) {
    super(...args)
    // Run from sources, tsx may compile a module on a cache miss with esbuild's transformSync, which runs
    // esbuild's service on a thread of its own (seen on Node 24 under load): not one of the CLI's workers.
    if (args[1]?.workerData?.esbuildVersion === undefined) workers++
  }
}
syncBuiltinESMExports()

process.on('exit', () => {
  // The SDK is CommonJS: imported from ESM it still lands in the CommonJS module cache.
  const awsSdkModules = Object.keys(require.cache).filter((key) => key.includes('/@aws-sdk/')).length
  writeFileSync(process.env.STARTUP_PROBE_OUT, JSON.stringify({ workers, awsSdkModules }))
})
