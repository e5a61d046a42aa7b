import type { KeyValue, ResourceSpans, Span, Trace } from '../../core/otlp/model.js'
import { Prng } from './prng.js'
import { i, s } from './values.js'

/**
 * Two groups of checkout traces with causes planted in group A, for testing and benchmarking the group
 * comparison: every trace has the same call tree (frontend -> auth, checkout -> cart, payment and
 * shipping in parallel, then a cache lookup) with noisy durations, a little background error, a few
 * low-cardinality attributes and ID-like high-cardinality ones. Each planted cause is switched on alone.
 */

/** What group A has that group B has not (all off: A and B come from one distribution). */
export interface PlantedCauses {
  /** `payment: PaymentService/Charge` has status ERROR (with a `CardDeclinedError` exception) in this share of A. */
  errorShare?: number
  /** The checkout span carries `feature.flag=new-pricing` in this share of A (and in 5% of B). */
  attributeShare?: number
  /** `shipping: ShippingService/Quote` takes this many times longer in A (it then ends last: the critical path). */
  slowFactor?: number
  /** `checkout` skips its cache lookup in A (`checkout: POST /api/checkout -> cache: GET product`). */
  missingCacheEdge?: boolean
}

/** The planted operations and values, as the comparison names them. */
export const PLANTED = {
  errorOperation: 'payment: PaymentService/Charge',
  attribute: { key: 'feature.flag', value: 'new-pricing' },
  slowOperation: 'shipping: ShippingService/Quote',
  missingEdge: { parent: 'checkout: POST /api/checkout', child: 'cache: GET product' },
} as const

const KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3 } as const
const MS = 1_000_000n

/** `count` traces of one group; `causes` planted (none for group B), deterministic per seed. */
export function checkoutTraces(count: number, seed: number, causes: PlantedCauses = {}): Trace[] {
  const rng = new Prng(seed)
  return Array.from({ length: count }, (_, n) => checkoutTrace(rng, n, causes))
}

function checkoutTrace(rng: Prng, n: number, causes: PlantedCauses): Trace {
  const traceId = rng.bytes(16)
  const builder = new TraceBuilder(traceId, rng)
  const t0 = 1_750_000_000_000n * MS + BigInt(n) * 1000n * MS
  const jitter = (ms: number): bigint => BigInt(Math.round(ms * (0.7 + 0.6 * rng.next()) * 1e6))
  const userId = `user-${rng.uint32().toString(16)}`
  const orderId = rng.uint32().toString(16)

  const root = builder.span('frontend', 'POST /checkout', KIND.SERVER, t0, undefined, [s('http.request.method', 'POST'), s('url.full', `https://shop.example/checkout/${orderId}`), s('enduser.id', userId), i('http.response.status_code', 200)])
  let t = t0 + jitter(2)
  const auth = builder.span('frontend', 'AuthService/Verify', KIND.CLIENT, t, root, [s('rpc.system', 'grpc')])
  const authServer = builder.span('auth', 'AuthService/Verify', KIND.SERVER, t + MS / 2n, auth, [s('rpc.system', 'grpc')])
  t = builder.end(authServer, t + MS / 2n + jitter(8))
  t = builder.end(auth, t + MS / 2n)

  const call = builder.span('frontend', 'POST /api/checkout', KIND.CLIENT, t + jitter(1), root, [s('http.request.method', 'POST')])
  const checkoutAttributes: KeyValue[] = [s('http.route', '/api/checkout'), s('app.request_id', `${orderId}-${rng.uint32().toString(36)}`)]
  if (rng.chance(causes.attributeShare ?? 0.05)) checkoutAttributes.push(s(PLANTED.attribute.key, PLANTED.attribute.value))
  else checkoutAttributes.push(s(PLANTED.attribute.key, 'control'))
  const checkout = builder.span('checkout', 'POST /api/checkout', KIND.SERVER, call.startTimeUnixNano + MS, call, checkoutAttributes)
  t = checkout.startTimeUnixNano + jitter(1)
  const cart = builder.span('cart', 'CartService/GetCart', KIND.SERVER, t, checkout, [s('rpc.system', 'grpc')])
  t = builder.end(cart, t + jitter(6))

  // Payment and shipping run in parallel; the later one to finish is on the critical path.
  const payment = builder.span('payment', 'PaymentService/Charge', KIND.SERVER, t + jitter(1), checkout, [s('rpc.system', 'grpc'), s('payment.provider', rng.pick(['visa', 'mastercard', 'amex']))])
  const insert = builder.span('payment', 'INSERT charges', KIND.CLIENT, payment.startTimeUnixNano + jitter(2), payment, [s('db.system', 'postgresql')])
  const paymentEnd = builder.end(payment, builder.end(insert, insert.startTimeUnixNano + jitter(12)) + jitter(3))
  if (rng.chance(causes.errorShare ?? 0.02)) builder.fail(payment, 'card declined', 'CardDeclinedError')
  const shipping = builder.span('shipping', 'ShippingService/Quote', KIND.SERVER, t + jitter(1), checkout, [s('rpc.system', 'grpc')])
  const shippingEnd = builder.end(shipping, shipping.startTimeUnixNano + jitter(10 * (causes.slowFactor ?? 1)))
  t = paymentEnd > shippingEnd ? paymentEnd : shippingEnd

  if (!causes.missingCacheEdge || !rng.chance(0.95)) {
    const cache = builder.span('cache', 'GET product', KIND.SERVER, t + jitter(0.5), checkout, [s('db.system', 'redis')])
    t = builder.end(cache, cache.startTimeUnixNano + jitter(1))
  }
  t = builder.end(checkout, t + jitter(1))
  t = builder.end(call, t + MS / 2n)
  const render = builder.span('frontend', 'render', KIND.INTERNAL, t + jitter(0.5), root, [])
  t = builder.end(render, render.startTimeUnixNano + jitter(3))
  builder.end(root, t + jitter(1))
  // Background noise: a rare error anywhere but the planted operation.
  if (rng.chance(0.03)) builder.fail(rng.pick([authServer, cart, shipping, render]), 'upstream request failed', 'TimeoutError')
  return builder.trace()
}

/** Collects spans per service and hands out span IDs. */
class TraceBuilder {
  private readonly byService = new Map<string, Span[]>()

  constructor(
    private readonly traceId: Uint8Array,
    private readonly rng: Prng,
  ) {}

  span(service: string, name: string, kind: number, start: bigint, parent: Span | undefined, attributes: KeyValue[]): Span {
    const span: Span = { traceId: this.traceId, spanId: this.rng.bytes(8), name, kind, startTimeUnixNano: start, endTimeUnixNano: start, attributes, status: {} }
    if (parent) span.parentSpanId = parent.spanId
    const list = this.byService.get(service) ?? []
    list.push(span)
    this.byService.set(service, list)
    return span
  }

  /** Set the span's end; returns it. */
  end(span: Span, end: bigint): bigint {
    span.endTimeUnixNano = end
    return end
  }

  fail(span: Span, message: string, exceptionType: string): void {
    span.status = { code: 2, message }
    span.events = [{ timeUnixNano: span.endTimeUnixNano, name: 'exception', attributes: [s('exception.type', exceptionType), s('exception.message', message)] }]
  }

  trace(): Trace {
    const resourceSpans: ResourceSpans[] = [...this.byService].map(([service, spans]) => ({
      resource: { attributes: [s('service.name', service), s('cloud.region', this.rng.pick(['eu-west-1', 'eu-central-1', 'us-east-1'])), s('host.name', `${service}-${this.rng.int(4000)}`)] },
      scopeSpans: [{ scope: { name: 'io.opentelemetry.checkout' }, spans }],
    }))
    return { resourceSpans }
  }
}
