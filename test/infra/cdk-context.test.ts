import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const repo = resolve(import.meta.dirname, '..', '..')

/** Run `infra/app.ts` as `cdk synth`/`deploy` would: with cdk.json's context (plus `extra`) in CDK_CONTEXT_JSON. */
async function runApp(extra: Record<string, unknown>): Promise<{ code: number; stderr: string }> {
  const cdkJson = JSON.parse(await readFile(join(repo, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
  const outdir = await mkdtemp(join(tmpdir(), 'tempo-batch-cdk-'))
  const context = { ...cdkJson.context, ...extra, 'aws:cdk:bundling-stacks': [] }
  try {
    return await new Promise((done) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', join(repo, 'infra', 'app.ts')],
        { cwd: repo, env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir, CDK_DISABLE_CLI_TELEMETRY: 'true' }, maxBuffer: 64 * 1024 * 1024 },
        (error, _stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
      )
    })
  } finally {
    await rm(outdir, { recursive: true, force: true })
  }
}

/**
 * Issue 14, defect 4: `npx cdk deploy` without `-c tempoBucketName` deployed against a bucket called
 * `example-tempo-bucket`, because cdk.json set it as a default and the app's own error never fired.
 */
describe('cdk context', () => {
  it('cdk.json names no Tempo bucket, so the app refuses to synthesize without one', async () => {
    const cdkJson = JSON.parse(await readFile(join(repo, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
    expect(cdkJson.context.tempoBucketName).toBeUndefined()
    const run = await runApp({})
    expect(run.code).not.toBe(0)
    expect(run.stderr).toContain('cdk: set the Tempo bucket with -c tempoBucketName=<bucket>')
  })
})
