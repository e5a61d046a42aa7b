import { RemovalPolicy } from 'aws-cdk-lib'
import type { IFunction } from 'aws-cdk-lib/aws-lambda'
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs'
import { Errors, type LogOptions, LogLevel, type TaskInput } from 'aws-cdk-lib/aws-stepfunctions'
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks'
import type { Construct } from 'constructs'

/** Props shared by the sample state machines. */
export interface SampleStateMachineProps {
  /** The Step Functions coordinator (`functions/handlers/stepfunctions.ts`). */
  coordinator: IFunction
  logRetention: RetentionDays
}

/** Full execution logs to a log group of our own (cdk-nag SF1 asks for ALL). */
export function executionLogs(scope: Construct, id: string, retention: RetentionDays): LogOptions {
  const destination = new LogGroup(scope, id, { retention, removalPolicy: RemovalPolicy.DESTROY })
  return { destination, level: LogLevel.ALL, includeExecutionData: false }
}

/**
 * A coordinator task. `payloadResponseOnly` makes the task's Resource the function ARN itself and its
 * output the handler's return value, which is also what lets local runs bind the real handler to it.
 * Retries cover Lambda's transient errors and throttling, never `InvalidRequestError` (a bad request stays bad).
 * `output.resultSelector` keeps only the fields the state needs of the task's output, `output.resultPath` puts them.
 */
export function coordinatorTask(
  scope: Construct,
  id: string,
  coordinator: IFunction,
  payload?: TaskInput,
  output: { resultPath?: string; resultSelector?: Record<string, unknown> } = {},
): LambdaInvoke {
  const task = new LambdaInvoke(scope, id, {
    lambdaFunction: coordinator,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    ...(payload ? { payload } : {}),
    ...(output.resultSelector ? { resultSelector: output.resultSelector } : {}),
    ...(output.resultPath ? { resultPath: output.resultPath } : {}),
  })
  task.addRetry({
    errors: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException', 'StorageError'],
    maxAttempts: 3,
    backoffRate: 2,
  })
  task.addRetry({ errors: [Errors.TIMEOUT], maxAttempts: 1 })
  return task
}
