import { cachedDiscovery } from '../../core/batch/cached-discovery.js'
import { listTenants } from '../../core/blocks/tenants.js'
import { BlockCache, DEFAULT_BLOCK_CACHE_BYTES } from '../../core/search/block-cache.js'
import type { ObjectStore } from '../../core/storage/object-store.js'
import { validateTenant, type TempoLayout } from '../../core/storage/layout.js'
import { ADMISSION_DEFAULTS } from '../../server/admission.js'
import { startServer, type RunningServer } from '../../server/server.js'
import { CONCURRENCY_HELP, integerInRange, optionalInteger, parseCommandArgs, readerThreads, readStoreArgs, storeOptions, UsageError } from '../args.js'
import { createEmbeddedRuntime } from '../../adapters/embedded-runtime.js'
import { checkStoreExists } from '../store-check.js'

/** Usage of `tempo-batch serve`. */
export const serveUsage = `usage: tempo-batch serve --store <dir|s3://bucket[/prefix]> [--port 3200] [--host 127.0.0.1]
       [--results <dir|s3://...>] [--endpoint <url>] [--prefix <p>] [--concurrency N]
       [--max-bytes-per-trace N] [--tenant-max-bytes <tenant>=<N> ...] [--external-timeout-ms N]
       [--max-batches N] [--max-inflight-ids N] [--block-cache-mb N] [--blocklist-poll-seconds N]

  --port: 0-65535 (0 picks a free port); ${CONCURRENCY_HELP}
  --max-batches, --max-inflight-ids: batches (lookups count as batches of one) and their trace IDs running at
  once (default ${ADMISSION_DEFAULTS.maxBatches} and ${ADMISSION_DEFAULTS.maxIds}); past them requests get 429 with Retry-After
  --block-cache-mb: bloom shards and footers kept between requests (default ${DEFAULT_BLOCK_CACHE_BYTES / 2 ** 20}; 0 keeps none)
  --blocklist-poll-seconds: how old a tenant's block list may get before it is listed again in the background (default 30)`

/** `tempo-batch serve`: the local server until SIGINT/SIGTERM. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    ...storeOptions,
    port: { type: 'string' },
    host: { type: 'string' },
    concurrency: { type: 'string' },
    'max-bytes-per-trace': { type: 'string' },
    'tenant-max-bytes': { type: 'string', multiple: true },
    'external-timeout-ms': { type: 'string' },
    'max-batches': { type: 'string' },
    'max-inflight-ids': { type: 'string' },
    'block-cache-mb': { type: 'string' },
    'blocklist-poll-seconds': { type: 'string' },
  })
  const args = readStoreArgs(values)
  const port = integerInRange(values.port, '--port', 0, 65_535) ?? 3200
  const threads = readerThreads(values.concurrency)
  const tenantMaxBytesPerTrace = parseTenantLimits(values['tenant-max-bytes'] ?? [])
  const maxBytesPerTrace = optionalInteger(values['max-bytes-per-trace'], '--max-bytes-per-trace')
  const externalTimeoutMs = optionalInteger(values['external-timeout-ms'], '--external-timeout-ms')
  const maxBatches = integerInRange(values['max-batches'], '--max-batches', 1, 10_000)
  const maxIds = integerInRange(values['max-inflight-ids'], '--max-inflight-ids', 1, 100_000_000)
  // Blocks never change once written: their bloom shards and footers are kept between requests.
  const cacheMb = optionalInteger(values['block-cache-mb'], '--block-cache-mb') ?? DEFAULT_BLOCK_CACHE_BYTES / 2 ** 20
  const cache = cacheMb > 0 ? { cache: new BlockCache({ maxBytes: cacheMb * 2 ** 20 }) } : {}
  const pollSeconds = optionalInteger(values['blocklist-poll-seconds'], '--blocklist-poll-seconds') ?? 30
  await checkStoreExists(args.store)
  if (threads.note) process.stderr.write(`tempo-batch serve: ${threads.note}\n`)
  const runtime = await createEmbeddedRuntime(args, { workers: threads.workers, ...cache })
  let server: RunningServer
  try {
    await warnWithoutTenants(runtime.deps.tempoStore, runtime.deps.layout)
    server = await startServer({
      batch: runtime.deps,
      lookup: {
        tempoStore: runtime.deps.tempoStore,
        layout: runtime.deps.layout,
        discover: cachedDiscovery(runtime.deps.tempoStore, runtime.deps.layout, { ttlMs: pollSeconds * 1000 }),
        ...cache,
        tenantMaxBytesPerTrace,
        ...(maxBytesPerTrace !== undefined ? { maxBytesPerTrace } : {}),
      },
      host: values.host ?? '127.0.0.1',
      port,
      ...(externalTimeoutMs !== undefined ? { externalTimeoutMs } : {}),
      admission: { ...(maxBatches !== undefined ? { maxBatches } : {}), ...(maxIds !== undefined ? { maxIds } : {}) },
    })
  } catch (error) {
    await runtime.close()
    throw error
  }
  process.stderr.write(`tempo-batch serve: listening on ${server.url} (store ${args.store}, results ${args.results})\n`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await server.close()
  await runtime.close()
  const a = server.admission
  process.stderr.write(`tempo-batch serve: stopped; ${a.admitted} batches and lookups served, ${a.refused} refused with 429, at most ${a.peakBatches} batches and ${a.peakIds} trace IDs at once\n`)
  return 0
}

// A server over an empty store would answer every lookup "not found": say so once, at start.
async function warnWithoutTenants(store: ObjectStore, layout: TempoLayout): Promise<void> {
  const tenants = await listTenants(store, layout)
  if (tenants.length === 0) process.stderr.write(`tempo-batch serve: warning: ${store.description} holds no tenants; every lookup will answer not found\n`)
}

function parseTenantLimits(entries: string[]): Record<string, number> {
  const limits: Record<string, number> = {}
  for (const entry of entries) {
    const match = /^(.+)=(\d+)$/.exec(entry)
    if (!match) throw new UsageError('--tenant-max-bytes', `${JSON.stringify(entry)} must be <tenant>=<bytes>`)
    limits[validateTenant(match[1]!)] = Number(match[2])
  }
  return limits
}
