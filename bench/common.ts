import { FsStore } from '../functions/adapters/fs-store.js'
import { discoverBlocks, type DiscoveryOptions } from '../functions/core/blocks/discovery.js'
import { TempoLayout, TenantIndexObjects } from '../functions/core/storage/layout.js'
import { CountingStore } from '../functions/core/storage/counting-store.js'
import { LatencyStore } from '../functions/core/storage/latency-store.js'
import type { ObjectStore } from '../functions/core/storage/object-store.js'
import type { ProfileSummary } from './profile/report.js'

/** Local files, or local files behind a simulated S3 (fixed latency + per-request bandwidth cap). */
export type StoreKind = 'local' | 's3sim'

/** Scenario names. */
export type ScenarioName = 'batch' | 'single' | 'duckdb' | 'naive' | 'floor' | 'profile'

/** What the orchestrator hands one child process. */
export interface ScenarioSpec {
  scenario: ScenarioName
  store: StoreKind
  root: string
  tenant: string
  ids: string[]
  /** How many of `ids` the tenant holds (the first ones), for the report. */
  present: number
  latencyMs: number
  bandwidthMbps: number
  /** Label of the row (e.g. `scaling 1000`). */
  label: string
  naiveRows?: number
  /** Batch only: one shard holding every block, read on the calling thread (a reader's own footprint). */
  oneReader?: boolean
  /** Batch on local files: run readers on the embedded worker pool. */
  pool?: boolean
  /** Profile (`--profile`): the batch, readers in-process, under the CPU profiler; the raw profile goes here. */
  profileFile?: string
  /** Where the child writes its `ScenarioResult`. */
  resultFile: string
  /** Scratch directory for result parts of the embedded worker pool. */
  scratch: string
}

/** One measured row. */
export interface ScenarioResult {
  label: string
  scenario: ScenarioName
  store: StoreKind
  ids: number
  found: number
  wallMs?: number
  requests?: number
  bytesRead?: number
  /** process.resourceUsage().maxRSS of the child process (it holds the worker threads too). */
  peakRssMb?: number
  spans?: number
  notes: string[]
  /** Profile rows: CPU and its breakdown over the measured request. */
  profile?: ProfileSummary
  /** Set when the scenario did not run or failed; the row then shows this. */
  skipped?: string
}

/** The tempo store of a scenario, wrapped in a counter (outermost, so it counts what S3 would bill). */
export function openBenchStore(spec: Pick<ScenarioSpec, 'store' | 'root' | 'latencyMs' | 'bandwidthMbps'>): { counting: CountingStore; timed: ObjectStore } {
  const files = new FsStore(spec.root)
  const timed = spec.store === 's3sim' ? new LatencyStore(files, { latencyMs: spec.latencyMs, bytesPerSecond: (spec.bandwidthMbps * 1e6) / 8 }) : files
  return { counting: new CountingStore(timed), timed }
}

/**
 * Discovery both the batch and the single lookups use: the tenant index when it exists (one GET; the
 * cheapest honest discovery, which keeps the comparison conservative), else a listing.
 */
export async function benchDiscoveryOptions(root: string, tenant: string): Promise<DiscoveryOptions> {
  const layout = new TempoLayout('')
  try {
    await new FsStore(root).head(layout.tenantObject(tenant, TenantIndexObjects.protobuf))
    return { source: 'tenant-index' }
  } catch {
    return { source: 'listing' }
  }
}

/** The tenant's blocks (uncounted, for set-up work that is not measured). */
export async function listBlocks(root: string, tenant: string) {
  const store = new FsStore(root)
  return (await discoverBlocks(store, new TempoLayout(''), tenant, await benchDiscoveryOptions(root, tenant))).blocks
}

/** Peak resident set size of this process so far, MB. */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024)
}
