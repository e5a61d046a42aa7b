import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { BlockMeta } from '../../functions/core/blocks/block-meta.js'
import { parseBlockMeta } from '../../functions/core/blocks/meta.js'

/** Test support for the Tempo v3.0.3 goldens (`tempo-generated/correctness`): records, raw JSON slices, metas. */

/** One golden record; `raw` is its JSONL line, so byte-exact members can be cut out of it. */
export interface GoldenRecord {
  traceId: string
  start: number
  end: number
  blocks: string[]
  category: string
  v2: { trace: unknown; metrics: unknown; status?: string; message?: string }
  v1: unknown
  raw: string
}

/** Read `goldens/<format>/<tenant>.jsonl.gz`. */
export function readGoldens(correctnessDir: string, format: string, tenant: string): GoldenRecord[] {
  const text = gunzipSync(readFileSync(join(correctnessDir, 'goldens', format, `${tenant}.jsonl.gz`))).toString('utf8')
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((raw) => ({ ...(JSON.parse(raw) as Omit<GoldenRecord, 'raw'>), raw }))
}

/** End index (exclusive) of the JSON value starting at `start` in `text`. */
function valueEnd(text: string, start: number): number {
  let depth = 0
  let inString = false
  for (let i = start; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
      continue
    }
    if (c === '"') inString = true
    else if (c === '{' || c === '[') depth++
    else if (c === '}' || c === ']') {
      depth--
      if (depth === 0) return i + 1
    } else if (depth === 0 && (c === ',' || c === '}')) return i
  }
  return text.length
}

/** The verbatim text of a top-level member of the object `text` (e.g. `v2`), or of `v2`'s member via a path. */
export function rawMember(text: string, path: readonly string[]): string {
  let current = text
  for (const key of path) {
    // Members are found at depth 1 only, so look for the key scanning the top-level object.
    let depth = 0
    let inString = false
    let found = -1
    for (let i = 0; i < current.length && found < 0; i++) {
      const c = current[i]
      if (inString) {
        if (c === '\\') i++
        else if (c === '"') inString = false
        continue
      }
      if (c === '{' || c === '[') depth++
      else if (c === '}' || c === ']') depth--
      else if (c === '"') {
        if (depth === 1 && current.startsWith(`"${key}":`, i)) found = i + key.length + 3
        else inString = true
      }
    }
    if (found < 0) throw new Error(`golden: member ${key} not found`)
    current = current.slice(found, valueEnd(current, found))
  }
  return current
}

/** Parse a block directory's meta.json (or meta.compacted.json) with the project's meta parser. */
export function readMeta(blockDir: string): BlockMeta {
  const file = readdirSync(blockDir).find((f) => f === 'meta.json' || f === 'meta.compacted.json')
  if (!file) throw new Error(`no meta in ${blockDir}`)
  return parseBlockMeta(JSON.parse(readFileSync(join(blockDir, file), 'utf8')))
}
