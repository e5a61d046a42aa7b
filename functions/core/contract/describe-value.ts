/**
 * A short, safe rendering of any input value for an error message: strings quoted and cut at `max`
 * characters, other values by kind. Never recursive: `JSON.stringify` or `String` of a deeply nested
 * array from a hostile body overflows the stack, and a 4 MB string must not come back in a message.
 */
export function describeValue(value: unknown, max = 80): string {
  if (typeof value === 'string') return JSON.stringify(value.length > max ? `${value.slice(0, max)}...` : value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return `an array of ${value.length}`
  return `a ${typeof value}`
}
