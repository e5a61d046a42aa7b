import { Duration } from 'aws-cdk-lib'
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda'
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources'
import { Topic } from 'aws-cdk-lib/aws-sns'
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs'
import { Construct } from 'constructs'
import { EnvNames } from '../functions/config/env.js'

/** Props of `RequestQueue`. */
export interface RequestQueueProps {
  /** The SQS coordinator; its timeout sets the queue's visibility timeout. */
  handler: LambdaFunction
  handlerTimeout: Duration
  /** Messages per invocation; each message is a whole batch request with its own fan-out. */
  batchSize: number
  /** Most concurrent SQS coordinator invocations (each gets a share of the reader's concurrency). */
  maxConcurrency: number
}

/**
 * SQS entry point: a request queue with a dead-letter queue (three receives), an event source with
 * partial batch responses, and an SNS topic that announces each finished request with its manifest location.
 */
export class RequestQueue extends Construct {
  readonly queue: Queue
  readonly deadLetterQueue: Queue
  readonly completionTopic: Topic

  constructor(scope: Construct, id: string, props: RequestQueueProps) {
    super(scope, id)
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    })
    this.queue = new Queue(this, 'Requests', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for Lambda consumers: six times the function timeout, so a slow batch is not redelivered mid-run.
      visibilityTimeout: Duration.seconds(props.handlerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 3 },
      // SQS's largest message: a 10,000-ID request, also the one the API hands over when it runs out of time.
      maxMessageSizeBytes: 1_048_576,
    })
    props.handler.addEventSource(new SqsEventSource(this.queue, {
      batchSize: props.batchSize,
      reportBatchItemFailures: true,
      maxConcurrency: props.maxConcurrency,
    }))
    this.completionTopic = new Topic(this, 'Completions', { enforceSSL: true })
    this.completionTopic.grantPublish(props.handler)
    props.handler.addEnvironment(EnvNames.completionTopicArn, this.completionTopic.topicArn)
  }
}
