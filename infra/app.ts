import { App, Aspects } from 'aws-cdk-lib'
import { AwsSolutionsChecks } from 'cdk-nag'
import { TempoBatchStack } from './tempo-batch-stack.js'

// `npx cdk deploy -c tempoBucketName=<bucket> [-c tempoPrefix=<prefix>] [-c allowedTenants=a,b]`
const app = new App()
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key)
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}
const tempoBucketName = context('tempoBucketName')
if (tempoBucketName === undefined) throw new Error('cdk: set the Tempo bucket with -c tempoBucketName=<bucket>')
const allowedTenants = context('allowedTenants')?.split(',').map((t) => t.trim()).filter((t) => t !== '')

new TempoBatchStack(app, context('stackName') ?? 'TempoBatch', {
  description: 'tempo-batch: batch trace-by-ID reads straight from Tempo blocks',
  tempoBucketName,
  ...(context('tempoPrefix') ? { tempoPrefix: context('tempoPrefix') } : {}),
  ...(allowedTenants ? { allowedTenants } : {}),
  ...(context('resultPrefix') ? { resultPrefix: context('resultPrefix') } : {}),
})
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }))
app.synth()
