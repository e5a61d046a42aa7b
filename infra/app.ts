import { App, Aspects } from 'aws-cdk-lib'
import { AwsSolutionsChecks } from 'cdk-nag'
import type { ApiLogging } from './batch-api.js'
import { TempoBatchStack } from './tempo-batch-stack.js'

// `npx cdk deploy -c tempoBucketName=<bucket> [-c tempoPrefix=<prefix>] [-c allowedTenants=a,b] [-c tempoBucketKeyArn=<kms key arn>]
//  [-c readerConcurrency=50] [-c reserveReaderConcurrency=true] [-c apiLogging=off|existing-role|create-role]`
const app = new App()
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key)
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}
const tempoBucketName = context('tempoBucketName')
if (tempoBucketName === undefined) throw new Error('cdk: set the Tempo bucket with -c tempoBucketName=<bucket>')
const allowedTenants = context('allowedTenants')?.split(',').map((t) => t.trim()).filter((t) => t !== '')

const apiLogging = context('apiLogging')
if (apiLogging !== undefined && !['off', 'existing-role', 'create-role'].includes(apiLogging)) throw new Error('cdk: -c apiLogging must be off, existing-role or create-role')
const readerConcurrency = context('readerConcurrency')
if (readerConcurrency !== undefined && !/^[1-9]\d*$/.test(readerConcurrency)) throw new Error('cdk: -c readerConcurrency must be a positive integer')

new TempoBatchStack(app, context('stackName') ?? 'TempoBatch', {
  description: 'tempo-batch: batch trace-by-ID reads straight from Tempo blocks',
  tempoBucketName,
  ...(context('tempoPrefix') ? { tempoPrefix: context('tempoPrefix') } : {}),
  ...(context('tempoBucketKeyArn') ? { tempoBucketKeyArn: context('tempoBucketKeyArn') } : {}),
  ...(allowedTenants ? { allowedTenants } : {}),
  ...(context('resultPrefix') ? { resultPrefix: context('resultPrefix') } : {}),
  reader: {
    ...(readerConcurrency !== undefined ? { maxConcurrency: Number(readerConcurrency) } : {}),
    reserveConcurrency: context('reserveReaderConcurrency') === 'true',
  },
  ...(apiLogging !== undefined ? { api: { logging: apiLogging as ApiLogging } } : {}),
})
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }))
app.synth()
