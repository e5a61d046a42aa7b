import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFauxqs, type FauxqsHandle } from '../support/fauxqs.js'
import { runCli } from '../support/run-cli.js'

const NODE_MAJOR = Number(process.versions.node.split('.')[0])
const SDK_WARNING = 'NodeVersionSupportWarning'

let fauxqs: FauxqsHandle
beforeAll(async () => {
  fauxqs = await startFauxqs()
  await fauxqs.createBucket('quiet')
})
afterAll(async () => {
  await fauxqs?.stop()
})

/** The CLI listing a tenant over S3, in an environment without the test suite's own quieting of the SDK. */
function blocksOverS3(sdkWarning?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...fauxqs.env }
  delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED
  if (sdkWarning !== undefined) env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = sdkWarning
  return runCli(['blocks', '--store', 's3://quiet/tempo', '--tenant', 'none', '--endpoint', fauxqs.endpoint, '--json'], { cwd: process.cwd(), env })
}

describe('the AWS SDK\'s Node version warning', () => {
  it('is not printed by the CLI\'s own S3 use, on any Node version', async () => {
    const run = await blocksOverS3()
    expect(run.stderr).not.toContain(SDK_WARNING)
    expect(run.stdout).toContain('[]')
  })

  it.skipIf(NODE_MAJOR >= 22)('comes back on Node 20 when asked for (AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false)', async () => {
    const run = await blocksOverS3('false')
    expect(run.stderr).toContain(SDK_WARNING)
  })
})
