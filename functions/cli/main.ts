#!/usr/bin/env node
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describeError, InvalidRequestError } from '../core/contract/errors.js'
import { ExitCode } from './args.js'
import { packageVersion } from '../config/package-version.js'

const usage = `tempo-batch: fetch many traces by ID straight from Grafana Tempo's Parquet blocks

usage: tempo-batch <command> [options]
       tempo-batch --version

commands:
  fetch      fetch a batch of trace IDs (NDJSON result, manifest)
  blocks     list a tenant's blocks
  serve      local HTTP server: POST /v1/batch, POST /v1/compare, Tempo's GET /api/traces/{id},
             /api/v2/traces/{id}, and /external/api/traces/{id} for Tempo's querier
  generate   write a synthetic Tempo tenant (blocks, blooms, tenant index)
  compare    compare two groups of traces (ID files or results): findings, JSON and HTML report
  gc         delete local results older than a number of days

Run 'tempo-batch <command> --help' for a command's options.`

type Command = { run(argv: string[]): Promise<number>; usage?: string }

// Dynamic imports: a command's dependencies load only when it runs (and a missing one breaks only itself).
const commands: Record<string, () => Promise<Command>> = {
  fetch: async () => {
    const m = await import('./commands/fetch.js')
    return { run: m.run, usage: m.fetchUsage }
  },
  blocks: async () => {
    const m = await import('./commands/blocks.js')
    return { run: m.run, usage: m.blocksUsage }
  },
  serve: async () => {
    const m = await import('./commands/serve.js')
    return { run: m.run, usage: m.serveUsage }
  },
  compare: async () => {
    const m = await import('./commands/compare.js')
    return { run: m.run, usage: m.compareUsage }
  },
  gc: async () => {
    const m = await import('./commands/gc.js')
    return { run: m.run, usage: m.gcUsage }
  },
  generate: async () => {
    const m = await import('./commands/generate.js')
    return { run: m.run, usage: m.usage }
  },
}

/** Run the CLI with `argv` (without node and script) and return the exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  quietSdkNodeVersionWarning()
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage + '\n')
    return name === undefined ? ExitCode.badInput : ExitCode.ok
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`tempo-batch ${packageVersion()}\n`)
    return ExitCode.ok
  }
  const load = commands[name]
  if (!load) {
    process.stderr.write(`tempo-batch: unknown command ${JSON.stringify(name)} (try --help)\n`)
    return ExitCode.badInput
  }
  let command: Command | undefined
  try {
    command = await load()
    if ((rest.includes('--help') || rest.includes('-h')) && command.usage) {
      process.stdout.write(command.usage + '\n')
      return ExitCode.ok
    }
    return await command.run(rest)
  } catch (error) {
    const badInput = error instanceof InvalidRequestError || isParseArgsError(error)
    process.stderr.write(`tempo-batch ${name}: ${describeError(error)}\n`)
    if (badInput && command?.usage) process.stderr.write(command.usage.split('\n')[0] + '\n')
    return badInput ? ExitCode.badInput : ExitCode.failed
  }
}

/**
 * On Node 20 the AWS SDK prints on every run that its releases after early January 2027 need Node 22. The
 * SDK pinned in our lock file runs on Node 20, and a user of the CLI cannot act on the warning but by
 * upgrading Node, which the README recommends; so the CLI's own S3 use stays quiet unless the user set
 * AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED (to `false`, it comes back).
 */
function quietSdkNodeVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')
}

function invokedDirectly(): boolean {
  const script = process.argv[1]
  if (!script) return false
  try {
    const self = realpathSync(fileURLToPath(import.meta.url))
    const entry = realpathSync(script)
    // bin/tempo-batch.js imports this module: treat that launcher as direct invocation too.
    return entry === self || /tempo-batch(\.js)?$/.test(entry)
  } catch {
    return false
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      process.stderr.write(`tempo-batch: ${describeError(error)}\n`)
      process.exitCode = ExitCode.failed
    },
  )
}
