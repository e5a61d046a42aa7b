import { Annotations, Match } from 'aws-cdk-lib/assertions'
import { beforeAll, describe, expect, it } from 'vitest'
import type { TempoBatchStack } from '../../infra/tempo-batch-stack.js'
import { synthStack } from './synth-stack.js'
import { actions, flat, resourcesFor, TemplateQueries } from './support/template-queries.js'

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'

/** The opt-in features, each off in the default template (stack.test.ts). */
describe('TempoBatchFetcher options', () => {
  let stack: TempoBatchStack
  let q: TemplateQueries

  beforeAll(() => {
    const synth = synthStack({ tempoBucketKeyArn: KEY_ARN, reader: { maxConcurrency: 80, reserveConcurrency: true }, api: { logging: 'create-role' } })
    stack = synth.stack
    q = new TemplateQueries(stack, synth.template)
  })

  it('grants kms:Decrypt on an SSE-KMS Tempo bucket\'s key to the reader and every coordinator', () => {
    const { reader, apiCoordinator, sqsCoordinator, stepFunctionsCoordinator } = stack.fetcher
    for (const fn of [reader, apiCoordinator, sqsCoordinator, stepFunctionsCoordinator]) {
      const statements = q.statementsOf(q.logicalId(fn))
      expect(resourcesFor(statements, 'kms:Decrypt'), fn.node.id).toEqual([KEY_ARN])
      expect(statements.filter((s) => actions(s).includes('kms:Decrypt')).flatMap(actions)).not.toContain('kms:Encrypt')
    }
  })

  it('reserves the reader\'s concurrency only when asked, and shares what it reserves', () => {
    expect(q.resources[q.logicalId(stack.fetcher.reader)]!.Properties.ReservedConcurrentExecutions).toBe(80)
    expect(stack.fetcher.readerBudget).toEqual({ coordinators: 12, invokeConcurrency: 6, maxReaders: 6 })
    expect(q.ofType('AWS::Lambda::Function').filter(([, fn]) => fn.Properties.ReservedConcurrentExecutions !== undefined)).toHaveLength(1)
  })

  it('creates the account\'s API Gateway CloudWatch role when asked, kept when the stack is deleted, and logs', () => {
    const accounts = q.ofType('AWS::ApiGateway::Account')
    expect(accounts).toHaveLength(1)
    expect(accounts[0]![1].DeletionPolicy).toBe('Retain')
    const roleId = flat(accounts[0]![1].Properties.CloudWatchRoleArn).replace(/^\{(.*)\.Arn\}$/, '$1')
    expect(q.resources[roleId]!.DeletionPolicy).toBe('Retain')
    const stage = q.ofType('AWS::ApiGateway::Stage')[0]![1]
    expect(stage.Properties.AccessLogSetting).toMatchObject({ DestinationArn: expect.anything() })
    expect(stage.Properties.MethodSettings).toEqual([expect.objectContaining({ LoggingLevel: 'ERROR' })])
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([])
  })

  it('logs without touching the account\'s role when it exists already; warns when the fan-out set by hand overcommits the readers', () => {
    const existing = synthStack({ api: { logging: 'existing-role' }, coordinator: { invokeConcurrency: 30 } })
    const warnings = Annotations.fromStack(existing.stack).findWarning('*', Match.stringLikeRegexp('ReaderOvercommit'))
    expect(warnings.map((w) => String(w.entry.data))).toEqual([expect.stringMatching(/^12 coordinators may run at once with 30 readers each, more than the reader's concurrency of 100/)])
    const other = new TemplateQueries(existing.stack, existing.template)
    expect(other.ofType('AWS::ApiGateway::Account')).toEqual([])
    expect(other.ofType('AWS::ApiGateway::Stage')[0]![1].Properties.AccessLogSetting).toMatchObject({ DestinationArn: expect.anything() })
    expect(Annotations.fromStack(existing.stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([])
  })
})
