import { execFile } from 'node:child_process'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const repo = resolve(import.meta.dirname, '..', '..')
const mainTs = join(repo, 'functions', 'cli', 'main.ts')
// Commands may run in a scratch directory, so tsx's loader is named by path, not resolved from the cwd.
const tsxLoader = pathToFileURL(join(repo, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href

/** What one CLI run printed and how it exited. */
export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/** Run the CLI from source as its own process (as a user would), with `input` on stdin. */
export function runCli(args: string[], options: { cwd: string; input?: string; env?: NodeJS.ProcessEnv }): Promise<CliRun> {
  return new Promise((done) => {
    const child = execFile(process.execPath, ['--import', tsxLoader, mainTs, ...args], { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
    child.stdin!.end(options.input ?? '')
  })
}
