/**
 * Profile one block's read path: `findTracesInBlock` on the first bench block with all of its rows, a
 * spread of 100 and a single ID, repeated, printing per-phase times. Run with
 * `node --import tsx bench/profile-block.ts [--block DIR] [--repeat N] [--cases all,100,1]`
 * (add `--cpu-prof` to node for a profile).
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { FsStore } from '../functions/adapters/fs-store.js'
import { parseBlockMeta } from '../functions/core/blocks/meta.js'
import { BlockSearch } from '../functions/core/search/block-search.js'
import { findTracesInBlock } from '../functions/core/search/find-traces.js'
import { compareBytes } from '../functions/core/contract/trace-id.js'

const BENCH_TENANT_DIR = join(process.env.TEMPO_BATCH_SHARED ?? join(import.meta.dirname, '../../shared'), 'fixtures/tempo-generated/bench/vParquet4/bench')

const { values: args } = parseArgs({
  options: {
    block: { type: 'string' },
    repeat: { type: 'string', default: '3' },
    cases: { type: 'string', default: 'all,100,1' },
    /** Also read all rows in this many chunks of ascending IDs (as a reader job does): a search per chunk, then one BlockSearch for all. */
    chunks: { type: 'string', default: '0' },
  },
})

const blockDir = args.block ?? join(BENCH_TENANT_DIR, readdirSync(BENCH_TENANT_DIR, { withFileTypes: true }).find((e) => e.isDirectory())!.name)
const meta = parseBlockMeta(JSON.parse(readFileSync(join(blockDir, 'meta.json'), 'utf8')))
const tenantRoot = join(blockDir, '..', '..')
const tenant = blockDir.split('/').at(-2)!
const store = new FsStore(tenantRoot)

const bytes = readFileSync(join(blockDir, 'data.parquet'))
const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
const allIds = (await parquetReadObjects({ file, utf8: false, columns: ['TraceID'], compressors })).map((r) => r.TraceID as Uint8Array)

/** `n` IDs spread evenly over the file's rows, sorted as findTracesInBlock wants them. */
function spread(n: number): Uint8Array[] {
  if (n >= allIds.length) return [...allIds].sort(compareBytes)
  const step = allIds.length / n
  return Array.from({ length: n }, (_, i) => allIds[Math.floor(i * step)]!).sort(compareBytes)
}

console.log(`block ${meta.blockId} (${allIds.length} rows, ${(bytes.length / 1e6).toFixed(1)} MB), repeat ${args.repeat}`)
for (const name of args.cases.split(',')) {
  const ids = spread(name === 'all' ? allIds.length : Number(name))
  for (let r = 0; r < Number(args.repeat); r++) {
    const started = performance.now()
    const cpuBefore = process.cpuUsage()
    const result = await findTracesInBlock(store, tenant, meta, ids)
    const wall = performance.now() - started
    const cpu = process.cpuUsage(cpuBefore)
    const cpuMs = (cpu.user + cpu.system) / 1000
    if (result.error) throw result.error
    if (result.found.size !== ids.length) throw new Error(`found ${result.found.size} of ${ids.length}`)
    const phases = Object.entries(result.stats.phaseMs)
      .map(([phase, ms]) => `${phase} ${ms.toFixed(0)}`)
      .join(', ')
    console.log(`${name.padStart(4)} ids: ${wall.toFixed(0).padStart(6)} ms wall, ${cpuMs.toFixed(0).padStart(6)} ms cpu  (${phases}; pages ${result.stats.pagesDecoded}, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB)`)
  }
}

const chunkCount = Number(args.chunks)
if (chunkCount > 0) {
  const ids = [...allIds].sort(compareBytes)
  const size = Math.ceil(ids.length / chunkCount)
  for (let r = 0; r < Number(args.repeat); r++) {
    for (const session of [false, true]) {
      const search = session ? await BlockSearch.open(store, tenant, meta, ids) : undefined
      const started = performance.now()
      const cpuBefore = process.cpuUsage()
      let requests = 0
      let pages = 0
      let held = 0
      for (let i = 0; i < ids.length; i += size) {
        const chunk = ids.slice(i, i + size)
        const result = search ? await search.find(chunk) : await findTracesInBlock(store, tenant, meta, chunk)
        if (result.error) throw result.error
        requests += result.stats.requests
        pages += result.stats.pagesDecoded
        held = Math.max(held, search?.pagesHeld ?? 0)
      }
      const cpu = process.cpuUsage(cpuBefore)
      const how = session ? `one BlockSearch (at most ${held} pages held)` : 'a search per chunk'
      console.log(`${chunkCount} chunks, ${how}: ${(performance.now() - started).toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms cpu, requests ${requests}, pages decoded ${pages}`)
    }
  }
}
