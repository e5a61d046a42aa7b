import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib'
import { Key } from 'aws-cdk-lib/aws-kms'
import { Bucket } from 'aws-cdk-lib/aws-s3'
import type { Construct } from 'constructs'
import { suppressAcceptedFindings } from './nag-suppressions.js'
import { TempoBatchFetcher, type TempoBatchFetcherProps } from './tempo-batch-fetcher.js'

/** Props of the sample stack: the Tempo bucket (and its KMS key) by name, the rest as the construct takes it. */
export interface TempoBatchStackProps extends StackProps, Omit<TempoBatchFetcherProps, 'tempoBucket' | 'tempoBucketKey'> {
  tempoBucketName: string
  /** ARN of the KMS key of an SSE-KMS Tempo bucket. */
  tempoBucketKeyArn?: string
}

/** The deployable stack: one `TempoBatchFetcher` next to an existing Tempo bucket. */
export class TempoBatchStack extends Stack {
  readonly fetcher: TempoBatchFetcher

  constructor(scope: Construct, id: string, props: TempoBatchStackProps) {
    super(scope, id, props)
    const { tempoBucketName, tempoBucketKeyArn, ...fetcherProps } = props
    this.fetcher = new TempoBatchFetcher(this, 'TempoBatch', {
      ...fetcherProps,
      tempoBucket: Bucket.fromBucketName(this, 'TempoBucket', tempoBucketName),
      ...(tempoBucketKeyArn !== undefined ? { tempoBucketKey: Key.fromKeyArn(this, 'TempoBucketKey', tempoBucketKeyArn) } : {}),
    })
    suppressAcceptedFindings(this.fetcher)
    new CfnOutput(this, 'BatchUrl', { value: this.fetcher.api.api.urlForPath('/v1/batch'), description: 'POST a batch request here (SigV4)' })
    new CfnOutput(this, 'RequestsQueueUrl', { value: this.fetcher.requests.queue.queueUrl })
    new CfnOutput(this, 'CompletionsTopicArn', { value: this.fetcher.requests.completionTopic.topicArn })
    new CfnOutput(this, 'TwoGroupsStateMachineArn', { value: this.fetcher.twoGroups.stateMachine.stateMachineArn })
    new CfnOutput(this, 'ChunkedIdsStateMachineArn', { value: this.fetcher.chunkedIds.stateMachine.stateMachineArn })
    new CfnOutput(this, 'ResultBucketName', { value: this.fetcher.resultBucket.bucketName })
  }
}
