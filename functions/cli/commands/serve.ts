import { parseArgs } from 'node:util'
import { cachedDiscovery } from '../../core/batch/cached-discovery.js'
import { startServer } from '../../server/server.js'
import { optionalInteger, readStoreArgs, storeOptions, UsageError } from '../args.js'
import { createEmbeddedRuntime } from '../embedded.js'

/** Usage of `tempo-batch serve`. */
export const serveUsage = `usage: tempo-batch serve --store <dir|s3://bucket[/prefix]> [--port 3200] [--host 127.0.0.1]
       [--results <dir|s3://...>] [--endpoint <url>] [--prefix <p>] [--concurrency N]
       [--max-bytes-per-trace N] [--tenant-max-bytes <tenant>=<N> ...] [--external-timeout-ms N]`

/** `tempo-batch serve`: the local server until SIGINT/SIGTERM. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...storeOptions,
      port: { type: 'string' },
      host: { type: 'string' },
      concurrency: { type: 'string' },
      'max-bytes-per-trace': { type: 'string' },
      'tenant-max-bytes': { type: 'string', multiple: true },
      'external-timeout-ms': { type: 'string' },
    },
    strict: true,
  })
  const args = readStoreArgs(values)
  const port = optionalInteger(values.port, '--port') ?? 3200
  const workers = optionalInteger(values.concurrency, '--concurrency')
  const tenantMaxBytesPerTrace = parseTenantLimits(values['tenant-max-bytes'] ?? [])
  const maxBytesPerTrace = optionalInteger(values['max-bytes-per-trace'], '--max-bytes-per-trace')
  const externalTimeoutMs = optionalInteger(values['external-timeout-ms'], '--external-timeout-ms')
  const runtime = createEmbeddedRuntime(args, workers ? { workers } : {})
  const server = await startServer({
    batch: runtime.deps,
    lookup: {
      tempoStore: runtime.deps.tempoStore,
      layout: runtime.deps.layout,
      discover: cachedDiscovery(runtime.deps.tempoStore, runtime.deps.layout),
      tenantMaxBytesPerTrace, ...(maxBytesPerTrace !== undefined ? { maxBytesPerTrace } : {}) },
    host: values.host ?? '127.0.0.1',
    port,
    ...(externalTimeoutMs !== undefined ? { externalTimeoutMs } : {}),
  })
  process.stderr.write(`tempo-batch serve: listening on ${server.url} (store ${args.store}, results ${args.results})\n`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await server.close()
  await runtime.close()
  return 0
}

function parseTenantLimits(entries: string[]): Record<string, number> {
  const limits: Record<string, number> = {}
  for (const entry of entries) {
    const match = /^(.+)=(\d+)$/.exec(entry)
    if (!match) throw new UsageError('--tenant-max-bytes', `${JSON.stringify(entry)} must be <tenant>=<bytes>`)
    limits[match[1]!] = Number(match[2])
  }
  return limits
}
