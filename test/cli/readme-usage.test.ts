import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { blocksUsage } from '../../functions/cli/commands/blocks.js'
import { fetchUsage } from '../../functions/cli/commands/fetch.js'
import { gcUsage } from '../../functions/cli/commands/gc.js'
import { usage as generateUsage } from '../../functions/cli/commands/generate.js'
import { serveUsage } from '../../functions/cli/commands/serve.js'

/**
 * Issue 14, defect 8: the README's demo command and `serve` usage missed options the scripts and the
 * help use. Every option a command's help lists appears in the README's usage of that command, and the
 * README's demo command is the one `npm run demo` runs.
 */

const repo = resolve(import.meta.dirname, '..', '..')
const flags = (text: string) => [...new Set(text.match(/--[a-z][a-z-]*/g) ?? [])].sort()

async function readmeUsage(): Promise<Map<string, string>> {
  const readme = await readFile(join(repo, 'README.md'), 'utf8')
  const block = /## CLI[\s\S]*?```\n([\s\S]*?)```/.exec(readme)![1]!
  const byCommand = new Map<string, string>()
  let current = ''
  for (const line of block.split('\n')) {
    const command = /^tempo-batch (\w+)/.exec(line)?.[1]
    if (command) current = command
    byCommand.set(current, (byCommand.get(current) ?? '') + line + '\n')
  }
  return byCommand
}

describe('README usage', () => {
  it.each([
    ['fetch', fetchUsage],
    ['blocks', blocksUsage],
    ['serve', serveUsage],
    ['generate', generateUsage],
    ['gc', gcUsage],
  ])('names every option of %s', async (command, usage) => {
    const readme = (await readmeUsage()).get(command) ?? ''
    const help = usage.split('\n\n')[0]!
    expect(flags(readme)).toEqual(flags(help))
  })

  it('shows the fetch command that npm run demo runs', async () => {
    const readme = await readFile(join(repo, 'README.md'), 'utf8')
    const demo = await readFile(join(repo, 'scripts', 'demo.sh'), 'utf8')
    const readmeFetch = /npx tempo-batch fetch [^`]*/.exec(readme)![0]
    const scriptFetch = /\$cli fetch [\s\S]*?\n\n/.exec(demo)![0]
    expect(flags(readmeFetch)).toEqual(flags(scriptFetch))
  })
})
