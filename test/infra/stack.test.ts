import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions'
import { AccountPrincipal, Role } from 'aws-cdk-lib/aws-iam'
import { beforeAll, describe, expect, it } from 'vitest'
import { EnvNames } from '../../functions/config/env.js'
import type { TempoBatchStack } from '../../infra/tempo-batch-stack.js'
import { ChunkedIdsStates, MAX_CHUNK_INPUT_BYTES } from '../../infra/state-machines/chunked-ids.js'
import { definitionOf } from './support/local-definitions.js'
import { actions, flat, resourcesFor, TemplateQueries } from './support/template-queries.js'
import { synthStack } from './synth-stack.js'

let stack: TempoBatchStack
let template: Template
let q: TemplateQueries

beforeAll(() => {
  ;({ stack, template } = synthStack({ allowedTenants: ['single-tenant', 'tenant-b'], reader: { blockConcurrency: 2, readWindowBytes: 1_048_576 } }, (s) => {
    s.fetcher.grantSubmit(new Role(s, 'AnalystRole', { assumedBy: new AccountPrincipal('123456789012') }))
  }))
  q = new TemplateQueries(stack, template)
})

const logicalId = (construct: { node: { defaultChild?: unknown } }) => q.logicalId(construct)
const statementsOf = (id: string) => q.statementsOf(id)
const s3Resources = resourcesFor

describe('TempoBatchFetcher template', () => {
  it('builds five ARM64 Node.js 24 functions with tracing and log groups, none with reserved concurrency by default', () => {
    const functions = q.ofType('AWS::Lambda::Function')
    expect(functions).toHaveLength(5)
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x')
      expect(fn.Properties.Architectures).toEqual(['arm64'])
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' })
      expect(fn.Properties.LoggingConfig).toBeDefined()
      // Reserving needs account concurrency a new account does not have: the deploy would fail.
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined()
    }
    template.resourceCountIs('AWS::Logs::LogGroup', 7)
  })

  it('leaves the account-wide API Gateway CloudWatch role alone by default, so API Gateway logs are off', () => {
    template.resourceCountIs('AWS::ApiGateway::Account', 0)
    expect(q.ofType('AWS::IAM::Role').filter(([, r]) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('apigateway.amazonaws.com'))).toEqual([])
    const stage = q.ofType('AWS::ApiGateway::Stage')[0]![1]
    expect(stage.Properties.AccessLogSetting).toBeUndefined()
    expect(JSON.stringify(stage.Properties.MethodSettings)).not.toContain('LoggingLevel')
  })

  it('scopes the reader to reading and listing the allowed tenants, and to writing (or aborting) result parts only', () => {
    const statements = statementsOf(logicalId(stack.fetcher.reader))
    expect(s3Resources(statements, 's3:GetObject')).toEqual([
      'arn:{AWS::Partition}:s3:::tempo-traces/tempo/single-tenant/*',
      'arn:{AWS::Partition}:s3:::tempo-traces/tempo/tenant-b/*',
      '{TempoBatchResults0083983E.Arn}/results/*/jobs/*',
    ])
    expect(s3Resources(statements, 's3:PutObject')).toEqual(['{TempoBatchResults0083983E.Arn}/results/*/parts/*'])
    expect(s3Resources(statements, 's3:AbortMultipartUpload')).toEqual(['{TempoBatchResults0083983E.Arn}/results/*/parts/*'])
    // Listing turns a block compacted away after planning into a 404 (vanished), not a 403 (permissions).
    const list = statements.find((s) => actions(s).includes('s3:ListBucket'))!
    expect(flat(list.Resource)).toBe('arn:{AWS::Partition}:s3:::tempo-traces')
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['tempo/single-tenant/*', 'tempo/tenant-b/*'] } })
    expect(statements.some((s) => actions(s).includes('lambda:InvokeFunction'))).toBe(false)
    const allActions = statements.flatMap(actions).sort()
    expect(allActions).toEqual(['s3:AbortMultipartUpload', 's3:GetObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'])
  })

  it('passes the reader its memory knobs, and only those given', () => {
    const env = q.environmentOf(logicalId(stack.fetcher.reader))
    expect(env[EnvNames.blockConcurrency]).toBe('2')
    expect(env[EnvNames.readWindowBytes]).toBe('1048576')
    expect(env[EnvNames.idsPerChunk]).toBeUndefined()
    expect(env[EnvNames.fetchRoundBytes]).toBeUndefined()
  })

  it('lets every coordinator list and read the Tempo prefix, read/write results and invoke only the reader', () => {
    const readerId = logicalId(stack.fetcher.reader)
    for (const fn of [stack.fetcher.apiCoordinator, stack.fetcher.sqsCoordinator, stack.fetcher.stepFunctionsCoordinator]) {
      const statements = statementsOf(logicalId(fn))
      const listTempo = statements.find((s) => s.Sid === 'ListTempoBlocks')!
      expect(flat(listTempo.Resource)).toBe('arn:{AWS::Partition}:s3:::tempo-traces')
      expect(listTempo.Condition).toEqual({ StringLike: { 's3:prefix': ['tempo/single-tenant/*', 'tempo/tenant-b/*'] } })
      const listResults = statements.find((s) => s.Sid === 'ListResults')!
      expect(listResults.Condition).toEqual({ StringLike: { 's3:prefix': ['results/*'] } })
      expect(s3Resources(statements, 's3:PutObject')).toEqual(['{TempoBatchResults0083983E.Arn}/results/*'])
      expect(s3Resources(statements, 's3:AbortMultipartUpload')).toEqual(['{TempoBatchResults0083983E.Arn}/results/*'])
      expect(statements.some((s) => actions(s).some((a) => a.startsWith('kms:')))).toBe(false)
      const invoke = statements.filter((s) => actions(s).includes('lambda:InvokeFunction'))
      expect(invoke.flatMap((s) => (s.Resource as unknown[]).map(flat))).toEqual([`{${readerId}.Arn}`, `{${readerId}.Arn}:*`])
      const env = q.environmentOf(logicalId(fn))
      expect(env[EnvNames.readerFunction]).toEqual({ Ref: readerId })
      expect(env[EnvNames.tempoBucket]).toBe('tempo-traces')
      expect(env[EnvNames.tempoPrefix]).toBe('tempo')
      expect(env[EnvNames.allowedTenants]).toBe('single-tenant,tenant-b')
    }
    // Only the API coordinator may hand a batch on, and only to the request queue.
    const queueId = logicalId(stack.fetcher.requests.queue)
    const handOver = statementsOf(logicalId(stack.fetcher.apiCoordinator)).filter((s) => actions(s).includes('sqs:SendMessage'))
    expect(handOver.map((s) => flat(s.Resource))).toEqual([`{${queueId}.Arn}`])
    expect(q.environmentOf(logicalId(stack.fetcher.apiCoordinator))[EnvNames.requestQueueUrl]).toEqual({ Ref: queueId })
    for (const fn of [stack.fetcher.sqsCoordinator, stack.fetcher.stepFunctionsCoordinator]) {
      expect(statementsOf(logicalId(fn)).some((s) => actions(s).includes('sqs:SendMessage'))).toBe(false)
    }
    // Nothing else may invoke the reader: no resource policy on it.
    expect(Object.values(q.resources).filter((r) => r.Type === 'AWS::Lambda::Permission' && flat(r.Properties.FunctionName).includes(readerId))).toEqual([])
  })

  it('shares the reader\'s concurrency among every coordinator that may run at once', () => {
    // 100 readers over 4 API requests (the burst limit), 2 SQS invocations, 4 chunks and one two-groups run's 2.
    expect(stack.fetcher.readerBudget).toEqual({ coordinators: 12, invokeConcurrency: 8, maxReaders: 8 })
    for (const fn of [stack.fetcher.apiCoordinator, stack.fetcher.sqsCoordinator, stack.fetcher.stepFunctionsCoordinator]) {
      const env = q.environmentOf(logicalId(fn))
      expect([env[EnvNames.invokeConcurrency], env[EnvNames.maxReaders]], fn.node.id).toEqual(['8', '8'])
    }
    const chunked = definitionOf(stack.fetcher.chunkedIds.stateMachine, { [logicalId(stack.fetcher.resultBucket)]: 'results-bucket' }) as { States: Record<string, { MaxConcurrency?: number }> }
    expect(chunked.States[ChunkedIdsStates.map]?.MaxConcurrency).toBe(4)
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('ReaderOvercommit'))).toEqual([])
  })

  it('creates an encrypted, TLS-only, private result bucket whose objects expire after 7 days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 7, Status: 'Enabled' })] },
    })
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    })
  })

  it('serves POST /v1/batch with IAM auth, a body model, throttling and JSON error responses', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'AWS_IAM',
      RequestValidatorId: Match.anyValue(),
      RequestModels: { 'application/json': Match.anyValue() },
      Integration: Match.objectLike({ Type: 'AWS_PROXY', TimeoutInMillis: 29000 }),
    })
    template.resourceCountIs('AWS::ApiGateway::Method', 1)
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'batch' })
    // Only 'a JSON object': every other rule is the handler's (the batch API contract shared with the local server).
    template.hasResourceProperties('AWS::ApiGateway::Model', { Schema: Match.objectLike({ type: 'object' }) })
    template.hasResourceProperties('AWS::ApiGateway::Model', { Schema: Match.not(Match.objectLike({ properties: Match.anyValue() })) })
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 2, ThrottlingBurstLimit: 4 })],
      TracingEnabled: true,
    })
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'THROTTLED', StatusCode: '429' })
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'REQUEST_TOO_LARGE', StatusCode: '413' })
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'BAD_REQUEST_BODY', StatusCode: '400' })
  })

  it('feeds the SQS coordinator from an encrypted queue with a DLQ after 3 receives and partial batch responses', () => {
    const queueId = stack.getLogicalId(stack.fetcher.requests.queue.node.defaultChild as never)
    const dlqId = stack.getLogicalId(stack.fetcher.requests.deadLetterQueue.node.defaultChild as never)
    const queue = q.resources[queueId]!.Properties
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 3 })
    expect(queue.SqsManagedSseEnabled).toBe(true)
    expect(queue.MaximumMessageSize).toBe(1_048_576)
    expect(queue.VisibilityTimeout).toBe(900 * 6)
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: logicalId(stack.fetcher.sqsCoordinator) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 2 },
    })
    const sqsStatements = statementsOf(logicalId(stack.fetcher.sqsCoordinator))
    expect(sqsStatements.find((s) => actions(s).includes('sns:Publish'))?.Resource).toEqual({ Ref: stack.getLogicalId(stack.fetcher.requests.completionTopic.node.defaultChild as never) })
    const env = q.environmentOf(logicalId(stack.fetcher.sqsCoordinator))
    expect(env[EnvNames.completionTopicArn]).toBeDefined()
  })

  it('ships the two sample state machines, logged and traced, the Distributed Map reading only id-lists/ and writing only map-results/', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2)
    template.allResourcesProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    })
    // Both machines call the Step Functions coordinator (and only it) from the states the local runs bind.
    const sfnCoordinator = `arn:aws:lambda:us-east-1:123456789012:function:${logicalId(stack.fetcher.stepFunctionsCoordinator)}`
    const resultBucketId = stack.getLogicalId(stack.fetcher.resultBucket.node.defaultChild as never)
    const twoGroups = JSON.stringify(definitionOf(stack.fetcher.twoGroups.stateMachine))
    const chunkedIds = definitionOf(stack.fetcher.chunkedIds.stateMachine, { [resultBucketId]: 'results-bucket' }) as { States: Record<string, { ItemReader?: unknown; ItemBatcher?: unknown; ResultWriter?: unknown; ItemProcessor?: { States: Record<string, { Resource: string }> } }> }
    const comparer = `arn:aws:lambda:us-east-1:123456789012:function:${logicalId(stack.fetcher.comparer)}`
    expect(twoGroups.match(/"Resource":"[^"]+"/g)).toEqual([`"Resource":"${sfnCoordinator}"`, `"Resource":"${sfnCoordinator}"`, `"Resource":"${comparer}"`])
    expect(chunkedIds.States[ChunkedIdsStates.map]?.ItemProcessor?.States[ChunkedIdsStates.fetchChunk]?.Resource).toBe(sfnCoordinator)
    expect(chunkedIds.States[ChunkedIdsStates.map]?.ItemReader).toEqual({
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Parameters: { Bucket: 'results-bucket', 'Key.$': '$.idsKey' },
    })
    // Chunk results go to S3, not into the state (256 KiB would end the run past a few hundred chunks).
    expect(chunkedIds.States[ChunkedIdsStates.map]?.ResultWriter).toEqual({ Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results-bucket', Prefix: 'map-results' } })
    expect(chunkedIds.States[ChunkedIdsStates.map]?.ItemBatcher).toMatchObject({ MaxItemsPerBatch: 5000, MaxInputBytesPerBatch: MAX_CHUNK_INPUT_BYTES })
    const chunked = q.statementsOfRole(stack.getLogicalId(stack.fetcher.chunkedIds.stateMachine.role.node.defaultChild as never))
    expect(s3Resources(chunked, 's3:GetObject')).toEqual(['{TempoBatchResults0083983E.Arn}/id-lists/*', '{TempoBatchResults0083983E.Arn}/map-results/*'])
    expect(s3Resources(chunked, 's3:PutObject')).toEqual(['{TempoBatchResults0083983E.Arn}/map-results/*'])
  })

  it('grantSubmit lets a caller use every entry point and nothing else', () => {
    const roleId = Object.entries(q.resources).find(([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('AnalystRole'))![0]
    const statements = q.statementsOfRole(roleId)
    expect(statements.flatMap(actions).sort()).toEqual(['execute-api:Invoke', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage', 'states:StartExecution', 'states:StartExecution'])
    const invoke = statements.find((s) => actions(s).includes('execute-api:Invoke'))!
    expect(flat(invoke.Resource)).toMatch(/^arn:{AWS::Partition}:execute-api:eu-west-1:123456789012:{TempoBatchApi\w+}\/{TempoBatchApiDeploymentStageprod\w+}\/POST\/v1\/batch$/)
  })

  it('passes cdk-nag AwsSolutions with no unsuppressed errors or warnings, every suppression with a reason', () => {
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))
    expect(errors.map((e) => `${e.id}: ${String(e.entry.data)}`)).toEqual([])
    expect(warnings.map((e) => `${e.id}: ${String(e.entry.data)}`)).toEqual([])
    const suppressed = Object.values(template.toJSON().Resources as Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } } }>)
      .flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? [])
    expect(suppressed.length).toBeGreaterThan(0)
    for (const rule of suppressed) expect(rule.reason.length, rule.id).toBeGreaterThan(40)
  })
})
