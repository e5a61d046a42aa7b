import { App, Stack } from 'aws-cdk-lib'
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda'
import { RetentionDays } from 'aws-cdk-lib/aws-logs'
import { Bucket } from 'aws-cdk-lib/aws-s3'
import { ChunkedIdsStateMachine } from '../../../infra/state-machines/chunked-ids.js'
import { TwoGroupsStateMachine } from '../../../infra/state-machines/two-groups.js'
import { ID_LIST_PREFIX, MAP_RESULT_PREFIX } from '../../../infra/tempo-batch-fetcher.js'

/**
 * The two sample state machines exactly as `TempoBatchFetcher` builds them, in a stack of their own
 * (the full stack's template is tested in stack.test.ts; building it again would only cost time).
 */
export function buildStateMachines(resultBucket: string, chunkSize = 4): { twoGroups: TwoGroupsStateMachine; chunkedIds: ChunkedIdsStateMachine } {
  const stack = new Stack(new App(), 'StateMachines', { env: { account: '123456789012', region: 'us-east-1' } })
  const coordinator = LambdaFunction.fromFunctionArn(stack, 'Coordinator', 'arn:aws:lambda:us-east-1:123456789012:function:tempo-batch-sfn')
  const compare = LambdaFunction.fromFunctionArn(stack, 'Comparer', 'arn:aws:lambda:us-east-1:123456789012:function:tempo-batch-compare')
  const twoGroups = new TwoGroupsStateMachine(stack, 'TwoGroups', { coordinator, compare, logRetention: RetentionDays.ONE_DAY })
  const chunkedIds = new ChunkedIdsStateMachine(stack, 'ChunkedIds', {
    coordinator,
    logRetention: RetentionDays.ONE_DAY,
    idListBucket: Bucket.fromBucketName(stack, 'Results', resultBucket),
    idListPrefix: ID_LIST_PREFIX,
    mapResultPrefix: MAP_RESULT_PREFIX,
    chunkSize,
    maxConcurrency: 10,
  })
  return { twoGroups, chunkedIds }
}

/** aws-local-stepfunctions' StateMachine; on Node 20 it first gets the `Promise.withResolvers` it uses (Node 22). */
export async function loadLocalStepFunctions(): Promise<typeof import('aws-local-stepfunctions').StateMachine> {
  const P = Promise as unknown as { withResolvers?: () => unknown }
  P.withResolvers ??= function withResolvers<T>() {
    let resolve!: (value: T) => void
    let reject!: (reason?: unknown) => void
    const promise = new Promise<T>((res, rej) => {
      resolve = res
      reject = rej
    })
    return { promise, resolve, reject }
  }
  return (await import('aws-local-stepfunctions')).StateMachine
}
