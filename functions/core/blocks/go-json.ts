/**
 * String quoting exactly as Go's `encoding/json` (Go 1.22+) writes it: HTML-safe (`<`, `>`, `&` escaped),
 * U+2028/U+2029 escaped, `\b` `\f` `\n` `\r` `\t` short forms, other control characters as `\u00XX`,
 * lone surrogates replaced by U+FFFD. Needed to reproduce Tempo's `meta.json` and index bytes.
 */

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' }
// Characters that need escaping; lone surrogates are matched separately.
// eslint-disable-next-line no-control-regex -- control characters are exactly what Go escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f<>&\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/** `JSON.stringify` for one string, with Go's escaping. */
export function goJsonString(value: string): string {
  return (
    '"' +
    value.replace(NEEDS_ESCAPE, (ch) => {
      const short = SHORT_ESCAPES[ch]
      if (short !== undefined) return short
      const code = ch.charCodeAt(0)
      if (code >= 0xd800 && code <= 0xdfff) return '\ufffd'
      return '\\u' + code.toString(16).padStart(4, '0')
    }) +
    '"'
  )
}
