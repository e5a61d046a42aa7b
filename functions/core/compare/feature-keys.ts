/**
 * What is compared between the groups. A presence feature is something a trace has or has not (a
 * service, an operation's error, an attribute value, a call edge); a measure is a number per trace (an
 * operation's duration, its share of the critical path). Each is identified by its kind, a subject and,
 * for pairs, a value; `featureId` makes that one string key.
 */

/** Kinds of presence features. */
export type PresenceKind =
  | 'service'
  | 'operation'
  | 'span-kind'
  | 'root-operation'
  | 'error'
  | 'error-message'
  | 'exception'
  | 'span-attribute'
  | 'resource-attribute'
  | 'call-edge'

/** Kinds of per-trace measures (milliseconds, counts or shares). */
export type MeasureKind = 'trace-duration' | 'span-count' | 'duration' | 'self-time' | 'critical-path-share'

/** Every presence kind, in report order. */
export const PRESENCE_KINDS: readonly PresenceKind[] = ['error', 'error-message', 'exception', 'span-attribute', 'resource-attribute', 'call-edge', 'operation', 'root-operation', 'service', 'span-kind']

/** Every measure kind, in report order. */
export const MEASURE_KINDS: readonly MeasureKind[] = ['critical-path-share', 'duration', 'self-time', 'span-count', 'trace-duration']

/** A feature's identity. `subject` is an operation, attribute key, service or parent operation; `value` the attribute value, message, exception type or child operation. */
export interface FeatureRef<K extends string = string> {
  kind: K
  subject: string
  value?: string
}

const SEPARATOR = '\u001f'

/** The one string key of a feature. */
export function featureId(kind: string, subject: string, value?: string): string {
  return value === undefined ? `${kind}${SEPARATOR}${subject}` : `${kind}${SEPARATOR}${subject}${SEPARATOR}${value}`
}

/** The inverse of `featureId`. */
export function parseFeatureId<K extends string>(id: string): FeatureRef<K> {
  const [kind, subject, ...rest] = id.split(SEPARATOR)
  const ref: FeatureRef<K> = { kind: kind as K, subject: subject ?? '' }
  if (rest.length > 0) ref.value = rest.join(SEPARATOR)
  return ref
}

/** Longest attribute value or message kept as a feature value; longer ones are cut (and marked with …). */
export const MAX_VALUE_CHARS = 200

/** `text` cut to `MAX_VALUE_CHARS`. */
export function boundedValue(text: string): string {
  return text.length <= MAX_VALUE_CHARS ? text : `${text.slice(0, MAX_VALUE_CHARS - 1)}…`
}
