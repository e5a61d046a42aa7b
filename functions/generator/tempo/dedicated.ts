import type { DedicatedColumn } from '../../core/blocks/block-meta.js'

/**
 * Dedicated ("spare") columns on the write side: which configured entries a format keeps in its meta
 * (spec §2.3) and which `StringNN` / `IntNN` column each kept entry fills (§5.7).
 */

/** A configured entry mapped to its spare column. */
export interface DedicatedSlot {
  name: string
  scope: DedicatedColumn['scope']
  type: DedicatedColumn['type']
  /** Column name inside `DedicatedAttributes`, e.g. `String03`. */
  column: string
  /** vParquet5 `blob` option: ZSTD, no dictionary, no min/max. */
  blob: boolean
}

/** Slots per scope in mapping order (strings and ints interleaved as configured). */
export interface DedicatedSlots {
  resource: DedicatedSlot[]
  span: DedicatedSlot[]
  event: DedicatedSlot[]
}

/** Attribute names with a static column in vParquet3/4 (the writer filters them out of the meta). */
const STATIC_V4: Record<'resource' | 'span', Set<string>> = {
  resource: new Set(['service.name', 'cluster', 'namespace', 'pod', 'container', 'k8s.cluster.name', 'k8s.namespace.name', 'k8s.pod.name', 'k8s.container.name']),
  span: new Set(['http.method', 'http.url', 'http.status_code']),
}

const LIMITS = {
  vParquet4: { string: 10, int: 0 },
  vParquet5: { string: 20, int: 5 },
} as const

/** Formats the generator writes. */
export type GeneratedFormat = keyof typeof LIMITS

/** Tempo's `DefaultDedicatedColumns()` plus the extras of the tempo-generated correctness set (all kinds). */
export const DEFAULT_DEDICATED_COLUMNS: DedicatedColumn[] = [
  ...['k8s.cluster.name', 'k8s.namespace.name', 'k8s.pod.name', 'k8s.container.name'].map((name) => res(name)),
  span('http.request.method'),
  span('http.response.status_code', 'int'),
  span('url.path'),
  span('url.route'),
  span('server.address'),
  span('server.port', 'int'),
  span('http.method'),
  span('http.url'),
  span('http.route'),
  span('http.status_code', 'int'),
  res('deployment.environment'),
  res('host.name'),
  res('service.namespace'),
  res('cloud.region'),
  res('process.pid', 'int'),
  span('db.system'),
  span('db.name'),
  span('rpc.method'),
  span('messaging.system'),
  span('peer.service'),
  span('app.tags', 'string', ['array']),
  span('db.statement', 'string', ['blob']),
  span('app.queue_depth', 'int'),
  { name: 'exception.type', scope: 'event', type: 'string', options: [] },
  { name: 'exception.stacktrace', scope: 'event', type: 'string', options: ['blob'] },
  { name: 'app.attempt', scope: 'event', type: 'int', options: [] },
]

function res(name: string, type: DedicatedColumn['type'] = 'string'): DedicatedColumn {
  return { name, scope: 'resource', type, options: [] }
}

function span(name: string, type: DedicatedColumn['type'] = 'string', options: string[] = []): DedicatedColumn {
  return { name, scope: 'span', type, options }
}

/** The entries a block of `format` keeps in its meta, in configured order (Tempo's write-side filter). */
export function dedicatedColumnsForFormat(format: GeneratedFormat, configured: DedicatedColumn[]): DedicatedColumn[] {
  if (format === 'vParquet4') {
    return configured.filter((c) => c.scope !== 'event' && c.type === 'string' && c.options.length === 0 && !STATIC_V4[c.scope].has(c.name))
  }
  return configured.filter((c) => (c.scope === 'resource' || c.scope === 'span' || c.scope === 'event') && (c.type === 'string' || c.type === 'int'))
}

/** Map the meta's list to spare columns (read-side rules of §5.7, which the writer must agree with). */
export function dedicatedSlots(format: GeneratedFormat, stored: DedicatedColumn[]): DedicatedSlots {
  const slots: DedicatedSlots = { resource: [], span: [], event: [] }
  const used: Record<string, number> = {}
  const limits = LIMITS[format]
  for (const c of stored) {
    if (format === 'vParquet4' && (c.scope === 'event' || c.type !== 'string' || c.options.length > 0)) continue
    const key = `${c.scope}/${c.type}`
    const n = (used[key] ?? 0) + 1
    if (n > limits[c.type]) continue
    used[key] = n
    const column = `${c.type === 'string' ? 'String' : 'Int'}${String(n).padStart(2, '0')}`
    slots[c.scope].push({ name: c.name, scope: c.scope, type: c.type, column, blob: c.options.includes('blob') })
  }
  return slots
}
