/**
 * RFC 3339 times as Go writes and reads them (`time.RFC3339Nano`), converted exactly to and from unix
 * nanoseconds. Date arithmetic is done on day numbers so years before 1970 (Go's zero time, year 1)
 * work; `Date` would round to milliseconds and maps two-digit years to the 1900s.
 */

const NS_PER_SECOND = 1_000_000_000n
const SECONDS_PER_DAY = 86_400n
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

/** Go's zero `time.Time` (0001-01-01T00:00:00Z) in unix nanoseconds. */
export const GO_ZERO_TIME_NS = -62_135_596_800n * NS_PER_SECOND

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146097 + dayOfEra - 719468
}

/** Inverse of `daysFromCivil`. */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const dayOfEra = z - era * 146097
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365)
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const mp = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day]
}

function daysInMonth(year: number, month: number): number {
  return daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1)
}

/** Parse an RFC 3339 time (fraction optional, any offset) to unix nanoseconds; throws `RangeError` when invalid. */
export function parseRfc3339Nano(text: string): bigint {
  const match = RFC3339.exec(text)
  if (!match) throw new RangeError(`not an RFC 3339 time: ${JSON.stringify(text.slice(0, 64))}`)
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw new RangeError(`time out of range: ${JSON.stringify(text)}`)
  }
  // Go keeps nanoseconds and drops further digits.
  const fraction = BigInt((match[7] ?? '').slice(0, 9).padEnd(9, '0'))
  let offsetSeconds = 0
  if (match[9] !== undefined) {
    const offsetHours = Number(match[10])
    const offsetMinutes = Number(match[11])
    if (offsetHours > 23 || offsetMinutes > 59) throw new RangeError(`time zone offset out of range: ${JSON.stringify(text)}`)
    offsetSeconds = (match[9] === '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60)
  }
  const seconds = BigInt(daysFromCivil(year, month, day)) * SECONDS_PER_DAY + BigInt(hour * 3600 + minute * 60 + second - offsetSeconds)
  return seconds * NS_PER_SECOND + fraction
}

const pad = (n: number, width: number) => String(n).padStart(width, '0')

/** Floor division with a non-negative remainder (bigint `/` truncates towards zero; times before 1970 need the floor). */
export function floorDivMod(a: bigint, b: bigint): [quotient: bigint, remainder: bigint] {
  const r = a % b
  return r < 0n ? [a / b - 1n, r + b] : [a / b, r]
}

/** Format unix nanoseconds as Go's `time.RFC3339Nano` in UTC (fraction trimmed of trailing zeros, omitted when 0). */
export function formatRfc3339Nano(ns: bigint): string {
  const [seconds, fraction] = floorDivMod(ns, NS_PER_SECOND)
  const [days, secondOfDay] = floorDivMod(seconds, SECONDS_PER_DAY)
  const [year, month, day] = civilFromDays(Number(days))
  // Go's MarshalJSON refuses years outside [0, 9999]; so do we.
  if (year < 0 || year > 9999) throw new RangeError(`time ${ns} ns is outside the years 0-9999`)
  const sod = Number(secondOfDay)
  const clock = `${pad(Math.floor(sod / 3600), 2)}:${pad(Math.floor(sod / 60) % 60, 2)}:${pad(sod % 60, 2)}`
  const digits = fraction === 0n ? '' : '.' + pad(Number(fraction), 9).replace(/0+$/, '')
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${clock}${digits}Z`
}

/** Unix nanoseconds to a `Date` (millisecond precision, truncated towards the past). */
export function nanosToDate(ns: bigint): Date {
  const ms = ns / 1_000_000n - (ns % 1_000_000n < 0n ? 1n : 0n)
  return new Date(Number(ms))
}

/** A `Date` to unix nanoseconds. */
export function dateToNanos(date: Date): bigint {
  return BigInt(date.getTime()) * 1_000_000n
}
