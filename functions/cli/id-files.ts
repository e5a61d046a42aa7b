import { readFile } from 'node:fs/promises'
import { InvalidRequestError } from '../core/contract/errors.js'
import { parseTraceId, traceIdToHex } from '../core/contract/trace-id.js'
import { UsageError } from './args.js'

/** One trace ID as the user wrote it, and where: `ids.txt:3`, `stdin:2` or `--id`. */
export interface IdToken {
  value: string
  where: string
}

/** Trace IDs from a file (or `-` for stdin): separated by whitespace or commas, `#` starts a comment. */
export async function readIdsFile(path: string): Promise<IdToken[]> {
  const text =
    path === '-'
      ? await readStdin()
      : await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
          throw new UsageError('--ids', `cannot read ${path}: ${error.code ?? error.message}`)
        })
  const name = path === '-' ? 'stdin' : path
  const tokens = text.split('\n').flatMap((line, index) =>
    line
      .replace(/#.*/, '')
      .split(/[\s,]+/)
      .filter((value) => value.length > 0)
      .map((value) => ({ value, where: `${name}:${index + 1}` })),
  )
  if (tokens.length === 0) throw new UsageError('--ids', `${name} holds no trace IDs (only blank lines or comments)`)
  return tokens
}

/**
 * Check every ID where the user wrote it, so an error names the file and line (`ids.txt:3`) rather than
 * a position in the request, and return them in the request's form (32 lowercase hex digits).
 */
export function checkedTraceIds(tokens: readonly IdToken[]): string[] {
  return tokens.map((token) => {
    try {
      return traceIdToHex(parseTraceId(token.value, token.where))
    } catch (error) {
      if (error instanceof InvalidRequestError) throw new UsageError(error.field, error.problem)
      throw error
    }
  })
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
