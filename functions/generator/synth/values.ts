import type { AnyValue, KeyValue } from '../../core/otlp/model.js'
import type { Prng } from './prng.js'
import type { ServiceDef } from './services.js'

/** Attribute makers for synthetic spans, resources and events, covering every OTLP value type. */

/** `{key, stringValue}`. */
export const s = (key: string, value: string): KeyValue => ({ key, value: { stringValue: value } })
/** `{key, intValue}`. */
export const i = (key: string, value: number | bigint): KeyValue => ({ key, value: { intValue: BigInt(value) } })
/** `{key, doubleValue}`. */
export const d = (key: string, value: number): KeyValue => ({ key, value: { doubleValue: value } })
/** `{key, boolValue}`. */
export const b = (key: string, value: boolean): KeyValue => ({ key, value: { boolValue: value } })

const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-2', 'sa-east-1']
const ENVS = ['prod', 'prod', 'prod', 'staging']
const TAGS = ['beta', 'canary', 'mobile', 'web', 'vip', 'eu', 'ünïcødé', 'a<b>&c']

/** Resource attributes of `service` in one trace (pods vary, the rest is stable per service). */
export function resourceAttributes(rng: Prng, service: ServiceDef): KeyValue[] {
  const pod = `${service.name}-${(rng.int(4) + 1) * 7919}-${['x2kq', 'p9zt', 'm4rw'][rng.int(3)]}`
  const attrs: KeyValue[] = [
    s('service.name', service.name),
    s('service.namespace', service.namespace),
    s('service.version', `1.${rng.int(3)}.${rng.int(10)}`),
    s('deployment.environment', rng.pick(ENVS)),
    s('host.name', `ip-10-0-${rng.int(4)}-${rng.int(250)}`),
    s('cloud.region', rng.pick(REGIONS)),
    s('k8s.cluster.name', 'prod-eks-1'),
    s('k8s.namespace.name', service.namespace),
    s('k8s.pod.name', pod),
    s('k8s.container.name', service.name),
    i('process.pid', 1 + rng.int(65535)),
    s('telemetry.sdk.language', service.language),
    s('telemetry.sdk.name', 'opentelemetry'),
  ]
  // Legacy well-known names (vParquet4 static columns) on some resources.
  if (rng.chance(0.1)) attrs.push(s('cluster', 'legacy-cluster'), s('namespace', service.namespace), s('pod', pod), s('container', service.name))
  if (rng.chance(0.05)) attrs.push(s('process.runtime.description', 'OpenJDK 64-Bit Server VM 21.0.2+13'))
  return attrs
}

/** A few application attributes of every type; rare exotic values (kvlist, bytes, mixed/nested/empty arrays). */
export function extraAttributes(rng: Prng): KeyValue[] {
  const out: KeyValue[] = []
  if (rng.chance(0.3)) out.push({ key: 'app.tags', value: { arrayValue: { values: Array.from({ length: 1 + rng.int(3) }, () => ({ stringValue: rng.pick(TAGS) })) } } })
  if (rng.chance(0.2)) out.push(i('app.queue_depth', rng.int(500)))
  if (rng.chance(0.3)) out.push(b('app.sampled', rng.chance(0.5)))
  if (rng.chance(0.2)) out.push(d('app.ratio', Math.round(rng.next() * 1e6) / 1e3))
  if (rng.chance(0.05)) out.push({ key: 'app.scores', value: { arrayValue: { values: [{ doubleValue: 0.5 }, { doubleValue: rng.next() }] } } })
  if (rng.chance(0.05)) out.push({ key: 'app.retries', value: { arrayValue: { values: [{ intValue: 1n }, { intValue: BigInt(rng.int(5)) }] } } })
  if (rng.chance(0.05)) out.push({ key: 'app.flags', value: { arrayValue: { values: [{ boolValue: true }, { boolValue: false }] } } })
  if (rng.chance(0.02)) out.push({ key: 'app.feature', value: kvlist(rng) })
  if (rng.chance(0.02)) out.push({ key: 'app.payload', value: { bytesValue: rng.bytes(rng.int(12)) } })
  if (rng.chance(0.01)) out.push({ key: 'app.mixed', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: -9_223_372_036_854_775_808n }, { arrayValue: { values: [{ boolValue: true }] } }] } } })
  if (rng.chance(0.01)) out.push({ key: 'app.empty_list', value: { arrayValue: {} } })
  if (rng.chance(0.01)) out.push({ key: 'app.nothing', value: {} })
  if (rng.chance(0.01)) out.push(i('app.big', 9_223_372_036_854_775_807n))
  return out
}

function kvlist(rng: Prng): AnyValue {
  return { kvlistValue: { values: [s('variant', rng.pick(['a', 'b'])), i('bucket', rng.int(100)), { key: 'nested', value: { kvlistValue: {} } }] } }
}

/** The `exception` event attributes of a failed span. */
export function exceptionAttributes(rng: Prng, language: string): KeyValue[] {
  const type = rng.pick(['java.lang.NullPointerException', 'TimeoutError', 'ConnectionResetError', 'io.grpc.StatusRuntimeException'])
  const frames = Array.from({ length: 3 + rng.int(8) }, (_, k) => `  at ${language}.handler.step${k}(handler.${language}:${10 + k * 7})`).join('\n')
  const attrs = [s('exception.type', type), s('exception.message', `${type}: upstream failed after ${rng.int(3000)}ms`), s('exception.stacktrace', `${type}\n${frames}`)]
  if (rng.chance(0.5)) attrs.push(i('app.attempt', 1 + rng.int(3)))
  return attrs
}
