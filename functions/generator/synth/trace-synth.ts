import type { KeyValue, ResourceSpans, Span, SpanLink, Trace } from '../../core/otlp/model.js'
import { Prng } from './prng.js'
import { ENTRY_SERVICES, SERVICE_BY_NAME, SERVICES, type Call, type ServiceDef } from './services.js'
import { exceptionAttributes, extraAttributes, i, resourceAttributes, s } from './values.js'

/**
 * Synthesises one realistic trace from a seed: a call tree over the service graph (HTTP, gRPC,
 * database and messaging spans), 5-500 spans with a long tail, errors with exception events, links,
 * 64- and 128-bit trace IDs. One ResourceSpans per service and one ScopeSpans per instrumentation
 * scope, so the trace is already in the shape Tempo stores (nothing to re-batch).
 */

/** A synthesised trace and its 16-byte ID. */
export interface SyntheticTrace {
  traceId: Uint8Array
  trace: Trace
  spanCount: number
}

/** Options of `synthesizeTrace`. */
export interface SynthesizeOptions {
  /** Earliest start (unix ns); the trace starts within `windowNanos` after it. */
  startNanos: bigint
  windowNanos: bigint
}

const KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const

interface Node {
  span: Span
  service: ServiceDef
  start: bigint
  end: bigint
}

/** The trace ID a seed produces (cheap: tenants sort IDs before synthesising whole traces). */
export function traceIdForSeed(seed: number): Uint8Array {
  const rng = new Prng(seed)
  const id = rng.bytes(16)
  // About 15% of traces carry a 64-bit ID, stored left-padded to 16 bytes.
  if (rng.chance(0.15)) id.fill(0, 0, 8)
  if (id.every((b) => b === 0)) id[15] = 1
  return id
}

/** Span count: 5-500, most traces small, a long tail of big ones. */
function spanTarget(rng: Prng): number {
  const u = rng.next()
  return rng.chance(0.85) ? 5 + Math.floor(40 * u * u) : 5 + Math.floor(495 * u * u * u)
}

/** Build the trace for `seed`. */
export function synthesizeTrace(seed: number, options: SynthesizeOptions): SyntheticTrace {
  const traceId = traceIdForSeed(seed)
  const rng = new Prng(seed ^ 0x5bd1e995)
  const target = spanTarget(rng)
  const usedIds = new Set<number>()
  const spanId = (): Uint8Array => {
    for (;;) {
      // Leading zero bytes occur in real IDs; the high word's top byte is zeroed for 2% of spans.
      const hi = rng.chance(0.02) ? rng.uint32() & 0x00ffffff : rng.uint32()
      const lo = rng.uint32()
      // 53 bits of the ID as the uniqueness key: a (vanishingly rare) false clash just draws again.
      const key = (hi & 0x1fffff) * 4294967296 + lo
      if ((hi === 0 && lo === 0) || usedIds.has(key)) continue
      usedIds.add(key)
      const id = new Uint8Array(8)
      id[0] = hi >>> 24
      id[1] = (hi >>> 16) & 0xff
      id[2] = (hi >>> 8) & 0xff
      id[3] = hi & 0xff
      id[4] = lo >>> 24
      id[5] = (lo >>> 16) & 0xff
      id[6] = (lo >>> 8) & 0xff
      id[7] = lo & 0xff
      return id
    }
  }
  const scopes = new Map<ServiceDef, Map<string, Span[]>>()
  const place = (service: ServiceDef, scope: string, span: Span): void => {
    let byScope = scopes.get(service)
    if (!byScope) scopes.set(service, (byScope = new Map()))
    const list = byScope.get(scope) ?? []
    list.push(span)
    byScope.set(scope, list)
  }
  let count = 0
  const makeSpan = (node: Omit<Node, 'span'>, parent: Span | undefined, name: string, kind: number, attributes: KeyValue[], scope: string): Node => {
    const span: Span = { traceId, spanId: spanId(), name, kind, startTimeUnixNano: node.start, endTimeUnixNano: node.end, attributes: [...attributes, ...extraAttributes(rng)], status: { code: 0 } }
    if (parent) span.parentSpanId = parent.spanId
    if (rng.chance(0.1)) span.traceState = 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'
    if (rng.chance(0.3)) span.flags = 0x101 // dropped by Tempo (documented lossy point)
    if (rng.chance(0.01)) span.droppedAttributesCount = 1 + rng.int(4)
    if (rng.chance(0.05)) {
      span.status = { code: 2, message: rng.chance(0.7) ? 'upstream request failed' : '' }
      span.events = [{ timeUnixNano: node.start + (node.end - node.start) / 2n, name: 'exception', attributes: exceptionAttributes(rng, node.service.language) }]
    } else if (kind === KIND.SERVER && rng.chance(0.2)) span.status = { code: 1 }
    if (rng.chance(0.05)) {
      // Events may precede the span start: the relative time wraps modulo 2^64 and must round-trip.
      const at = rng.chance(0.1) ? node.start - 1_000_000n : node.start + BigInt(rng.int(1000)) * 1000n
      ;(span.events ??= []).push({ timeUnixNano: at, name: rng.pick(['cache.miss', 'retry', 'log']), attributes: [s('log.severity', 'INFO'), i('app.attempt', rng.int(3))] })
      if (rng.chance(0.1)) span.droppedEventsCount = 2
    }
    place(node.service, scope, span)
    count++
    return { ...node, span }
  }
  const window = (start: bigint, end: bigint): [bigint, bigint] => {
    const length = end - start
    const s0 = start + (length * BigInt(rng.int(600))) / 1000n
    const s1 = s0 + ((end - s0) * BigInt(100 + rng.int(880))) / 1000n
    return [s0, s1 > s0 ? s1 : s0 + 1000n]
  }

  const entry = SERVICE_BY_NAME.get(rng.pick(ENTRY_SERVICES))!
  const start = options.startNanos + (options.windowNanos > 0n ? rng.bigint(48) % options.windowNanos : 0n)
  const duration = BigInt(Math.floor(Math.exp(rng.next() * Math.log(5e9 / 1e6)) * 1e6))
  const rootName = rng.pick(entry.operations)
  const root = makeSpan({ service: entry, start, end: start + duration }, undefined, rootName, entry.name === 'batch-scheduler' ? KIND.INTERNAL : KIND.SERVER, serverAttrs(rng, entry, rootName), 'server')
  const open: Node[] = [root]
  while (count < target) {
    const parent = open[open.length - 1 - Math.min(open.length - 1, Math.floor(rng.next() * rng.next() * open.length))]!
    const call: Call | undefined = parent.service.calls.length > 0 && rng.chance(0.85) ? rng.pick(parent.service.calls) : undefined
    const [s0, s1] = window(parent.start, parent.end)
    const base = { service: parent.service, start: s0, end: s1 }
    if (!call) {
      open.push(makeSpan(base, parent.span, rng.pick(['render', 'validate', 'serialize', 'compute']), KIND.INTERNAL, [s('code.function', 'handle')], 'app'))
    } else if (call.type === 'db') {
      const statement = rng.pick(call.statements)
      makeSpan(base, parent.span, `${statement.split(' ')[0]} ${call.db}`, KIND.CLIENT, [s('db.system', call.system), s('db.name', call.db), s('db.statement', statement), s('server.address', `${call.system}.${call.db}.internal`), i('server.port', 5432)], 'db')
    } else if (call.type === 'messaging') {
      const producer = makeSpan(base, parent.span, `${call.topic} publish`, KIND.PRODUCER, [s('messaging.system', call.system), s('messaging.destination.name', call.topic), s('messaging.operation', 'publish'), i('messaging.kafka.partition', rng.int(12))], 'messaging')
      const consumerService = SERVICE_BY_NAME.get(call.to)!
      const c0 = s1 + BigInt(rng.int(50_000_000))
      const consumer = makeSpan({ service: consumerService, start: c0, end: c0 + BigInt(1 + rng.int(200)) * 1_000_000n }, producer.span, `${call.topic} process`, KIND.CONSUMER, [s('messaging.system', call.system), s('messaging.destination.name', call.topic), s('messaging.operation', 'process')], 'messaging')
      consumer.span.links = [link(traceId, producer.span.spanId, [s('link.kind', 'producer')])]
      if (rng.chance(0.2)) consumer.span.links.push(link(rng.bytes(16), rng.bytes(8), [i('batch.index', rng.int(10))], rng.chance(0.5) ? 'vendor=1' : undefined))
      open.push(consumer)
    } else {
      const callee = SERVICE_BY_NAME.get(call.to)!
      const http = call.type === 'http'
      const name = http ? `${rng.pick(['GET', 'POST'])} ${call.route}` : `${call.service}/${call.method}`
      const clientAttrs = http
        ? [s('http.request.method', name.split(' ')[0]!), s('url.full', `http://${callee.name}${call.route}`), s('server.address', callee.name), i('server.port', 8080), i('http.response.status_code', 200), s('peer.service', callee.name)]
        : [s('rpc.system', 'grpc'), s('rpc.service', call.service), s('rpc.method', call.method), s('server.address', callee.name), i('server.port', 50051), s('peer.service', callee.name)]
      const client = makeSpan(base, parent.span, name, KIND.CLIENT, clientAttrs, http ? 'http' : 'grpc')
      const gap = (s1 - s0) / 20n
      const server = makeSpan({ service: callee, start: s0 + gap, end: s1 - gap }, client.span, http ? name : `${call.service}/${call.method}`, KIND.SERVER, serverAttrs(rng, callee, name, call), 'server')
      open.push(server)
    }
  }
  return { traceId, trace: { resourceSpans: resources(rng, scopes) }, spanCount: count }
}

function link(traceId: Uint8Array, spanId: Uint8Array, attributes: KeyValue[], traceState?: string): SpanLink {
  const out: SpanLink = { traceId, spanId, attributes }
  if (traceState) out.traceState = traceState
  return out
}

function serverAttrs(rng: Prng, service: ServiceDef, name: string, call?: Call): KeyValue[] {
  if (call?.type === 'grpc') return [s('rpc.system', 'grpc'), s('rpc.service', call.service), s('rpc.method', call.method), i('rpc.grpc.status_code', 0)]
  const [method, path] = name.includes(' ') && name.split(' ')[1]!.startsWith('/') ? name.split(' ') : ['GET', `/${service.name}`]
  const status = rng.chance(0.95) ? 200 : rng.pick([404, 500, 503])
  // Some services still use the old HTTP semantic conventions (vParquet4's well-known span columns).
  if (rng.chance(0.2)) return [s('http.method', method!), s('http.url', `http://${service.name}${path}`), i('http.status_code', status), s('http.route', path!)]
  return [s('http.request.method', method!), s('url.path', path!), s('url.route', path!), i('http.response.status_code', status), s('server.address', service.name), i('server.port', 8080)]
}

const SCOPE_VERSIONS: Record<string, string> = { server: '1.32.0', http: '1.32.0', grpc: '1.61.0', db: '0.44b0', messaging: '2.1.0', app: '' }

function resources(rng: Prng, scopes: Map<ServiceDef, Map<string, Span[]>>): ResourceSpans[] {
  // Stable service order (catalogue order) keeps output deterministic regardless of call order.
  return SERVICES.filter((svc) => scopes.has(svc)).map((svc) => {
    const byScope = scopes.get(svc)!
    const rs: ResourceSpans = {
      resource: { attributes: resourceAttributes(rng, svc) },
      scopeSpans: [...byScope.entries()].map(([name, spans]) => ({
        scope: name === 'app' ? { name: svc.name, attributes: [s('scope.owner', 'team-' + svc.namespace)] } : { name: `io.opentelemetry.${name}`, version: SCOPE_VERSIONS[name] ?? '1.0.0' },
        spans,
      })),
    }
    if (rng.chance(0.02)) rs.resource.droppedAttributesCount = 3
    return rs
  })
}
