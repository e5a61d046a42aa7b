import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { App, Duration, Stack } from 'aws-cdk-lib'
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda'
import { RetentionDays } from 'aws-cdk-lib/aws-logs'
import { afterAll, describe, expect, it } from 'vitest'
import { HandlerEntries, TempoBatchFunction } from '../../infra/lambda-defaults.js'

type Handler = (event: unknown, context: unknown) => Promise<unknown>

/**
 * Bundle `entries` exactly as the construct does: a `TempoBatchFunction` per entry in a stack that CDK
 * synthesizes with bundling on (local esbuild, the construct's own options: minify, names, banner, ESM),
 * and return each bundle's `index.mjs` by entry.
 */
async function bundleLikeTheConstruct(outdir: string, entries: string[]): Promise<Map<string, string>> {
  const app = new App({ outdir })
  const stack = new Stack(app, 'Bundles')
  const assetHashes = new Map<string, string>()
  for (const [i, entry] of entries.entries()) {
    const fn = new TempoBatchFunction(stack, `Fn${i}`, { entry, description: entry, memorySize: 128, timeout: Duration.seconds(10), logRetention: RetentionDays.ONE_DAY, serviceName: 'bundle-test' })
    const code = (stack.resolve((fn.node.defaultChild as CfnFunction).code) as { s3Key: string }).s3Key
    assetHashes.set(entry, code.replace(/\.zip$/, ''))
  }
  app.synth()
  const dirs = await readdir(outdir)
  const bundles = new Map<string, string>()
  for (const [entry, hash] of assetHashes) {
    const dir = dirs.find((d) => d === `asset.${hash}`)
    if (dir === undefined) throw new Error(`no asset directory for ${entry} (hash ${hash}) in ${dirs.join(', ')}`)
    bundles.set(entry, join(outdir, dir, 'index.mjs'))
  }
  return bundles
}

describe('Lambda bundles, built by CDK with the construct\'s bundling options', () => {
  const dirs: string[] = []
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  })

  // CDK bundles two handlers with esbuild (minified, source maps): a minute or more on a busy machine.
  it('load as ESM on Node, and keep the error class names the state machines retry on and the logs filter by', { timeout: 300_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tempo-batch-bundle-'))
    dirs.push(dir)
    const bundles = await bundleLikeTheConstruct(dir, [HandlerEntries.reader, HandlerEntries.stepFunctions])
    const reader = (await import(pathToFileURL(bundles.get(HandlerEntries.reader)!).href)) as { handler: Handler }
    expect(typeof reader.handler).toBe('function')
    const sfn = (await import(pathToFileURL(bundles.get(HandlerEntries.stepFunctions)!).href)) as { handler: Handler }
    const saved = process.env.TEMPO_BUCKET
    delete process.env.TEMPO_BUCKET
    try {
      const context = { functionName: 'sfn', awsRequestId: 'r' }
      await expect(sfn.handler({ tenant: 'a', traceIds: ['1'] }, context)).rejects.toMatchObject({ name: 'ConfigError', message: 'config: TEMPO_BUCKET is not set' })
      // A bad request must keep its name too: the state machines' Retry lists names, and must not retry this one.
      process.env.TEMPO_BUCKET = 'b'
      process.env.RESULT_BUCKET = 'r'
      process.env.RESULT_PREFIX = 'results'
      process.env.READER_FUNCTION_NAME = 'reader'
      await expect(sfn.handler({ tenant: 'a' }, context)).rejects.toMatchObject({ name: 'InvalidRequestError' })
    } finally {
      for (const name of ['RESULT_BUCKET', 'RESULT_PREFIX', 'READER_FUNCTION_NAME']) delete process.env[name]
      if (saved !== undefined) process.env.TEMPO_BUCKET = saved
      else delete process.env.TEMPO_BUCKET
    }
  })
})
