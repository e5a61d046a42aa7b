import { Bucket } from 'aws-cdk-lib/aws-s3'
import { NagSuppressions } from 'cdk-nag'
import type { TempoBatchFetcher } from './tempo-batch-fetcher.js'

/**
 * cdk-nag AwsSolutions findings we accept, each with the reason. Everything else must pass.
 * Wildcards (IAM5) are suppressed only on the policies whose statements `access.ts` scopes to prefixes.
 */
export function suppressAcceptedFindings(fetcher: TempoBatchFetcher): void {
  const functions = [fetcher.reader, fetcher.apiCoordinator, fetcher.sqsCoordinator, fetcher.stepFunctionsCoordinator, fetcher.comparer]
  for (const fn of functions) {
    NagSuppressions.addResourceSuppressions(fn, [
      { id: 'AwsSolutions-IAM4', reason: 'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch logs.' },
      {
        id: 'AwsSolutions-IAM5',
        reason: 'Object-level wildcards are confined to key prefixes: the Tempo prefix (or allowed tenants), the results prefix, `<results>/*/parts/*` for readers; `reader:*` covers the reader versions; X-Ray actions have no resource-level permissions.',
      },
    ], true)
  }
  for (const machine of [fetcher.twoGroups.stateMachine, fetcher.chunkedIds.stateMachine]) {
    NagSuppressions.addResourceSuppressions(machine, [
      {
        id: 'AwsSolutions-IAM5',
        reason: 'Step Functions needs `coordinator:*` (and `comparer:*`) to invoke function versions, log delivery actions have no resource scope, and the Distributed Map reads only the id-lists/ prefix, writes its chunk results only under map-results/ and starts its own child executions.',
      },
    ], true)
  }
  NagSuppressions.addResourceSuppressions(fetcher.api.api, [
    { id: 'AwsSolutions-APIG3', reason: 'The only method requires IAM (SigV4) authorization and the stage is throttled; a WAF web ACL can be attached by the operator if the API is exposed more widely.' },
    { id: 'AwsSolutions-COG4', reason: 'Callers are AWS principals authorised through IAM (SigV4), not Cognito users.' },
    { id: 'AwsSolutions-IAM4', reason: 'API Gateway\'s account-level CloudWatch role uses the AWS managed push-to-logs policy by design.' },
  ], true)
  if (fetcher.api.logging === 'off') {
    const reason = 'API Gateway logging needs the account-wide CloudWatch role, which a stack must not replace by default; it is off unless api.logging says the role exists or may be created. The coordinator logs every request and X-Ray traces it.'
    NagSuppressions.addResourceSuppressions(fetcher.api.api, [{ id: 'AwsSolutions-APIG1', reason }, { id: 'AwsSolutions-APIG6', reason }], true)
  }
  NagSuppressions.addResourceSuppressions(fetcher.requests.completionTopic, [
    { id: 'AwsSolutions-SNS2', reason: 'Completion notices carry only request IDs, counts and result locations, no trace data; TLS is enforced by the topic policy.' },
  ])
  // Only the bucket we create; one passed in is the owner's to configure.
  if (fetcher.resultBucket instanceof Bucket) {
    NagSuppressions.addResourceSuppressions(fetcher.resultBucket, [
      { id: 'AwsSolutions-S1', reason: 'Results are short-lived (lifecycle expiry) copies of data that already lives in the Tempo bucket; enable CloudTrail S3 data events if access auditing is needed.' },
    ])
  }
}
