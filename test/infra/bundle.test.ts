import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { afterAll, describe, expect, it } from 'vitest'
import { BUNDLE, HandlerEntries } from '../../infra/lambda-defaults.js'

// The same esbuild settings the CDK functions use, so a bundle that loads here loads in Lambda's ESM runtime.
async function bundle(entry: string, outDir: string): Promise<string> {
  const outfile = join(outDir, `${entry.replace(/\W/g, '_')}.mjs`)
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: BUNDLE.format,
    target: BUNDLE.target,
    mainFields: [...BUNDLE.mainFields],
    banner: { js: BUNDLE.banner },
    outfile,
    logLevel: 'silent',
  })
  return outfile
}

describe('Lambda bundles (ESM, local esbuild)', () => {
  const dirs: string[] = []
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  })

  it('bundles the reader and the Step Functions coordinator into ESM that loads on Node and fails loudly without config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tempo-batch-bundle-'))
    dirs.push(dir)
    const reader = (await import(pathToFileURL(await bundle(HandlerEntries.reader, dir)).href)) as { handler: unknown }
    expect(typeof reader.handler).toBe('function')
    const sfn = (await import(pathToFileURL(await bundle(HandlerEntries.stepFunctions, dir)).href)) as { handler: (event: unknown, context: unknown) => Promise<unknown> }
    expect(typeof sfn.handler).toBe('function')
    const saved = process.env.TEMPO_BUCKET
    delete process.env.TEMPO_BUCKET
    try {
      await expect(sfn.handler({ tenant: 'a', traceIds: ['1'] }, { functionName: 'sfn', awsRequestId: 'r' })).rejects.toMatchObject({ name: 'ConfigError', message: 'config: TEMPO_BUCKET is not set' })
    } finally {
      if (saved !== undefined) process.env.TEMPO_BUCKET = saved
    }
  })
})
