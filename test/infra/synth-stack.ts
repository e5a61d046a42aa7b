import { App, Aspects } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import { AwsSolutionsChecks } from 'cdk-nag'
import { TempoBatchStack, type TempoBatchStackProps } from '../../infra/tempo-batch-stack.js'

/** Synthesize the sample stack without bundling (the template is what the tests look at), with cdk-nag on. */
export function synthStack(props: Partial<TempoBatchStackProps> = {}, extend?: (stack: TempoBatchStack) => void): { stack: TempoBatchStack; template: Template } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } })
  const stack = new TempoBatchStack(app, 'TempoBatchTest', {
    tempoBucketName: 'tempo-traces',
    tempoPrefix: 'tempo',
    env: { account: '123456789012', region: 'eu-west-1' },
    ...props,
  })
  extend?.(stack)
  Aspects.of(stack).add(new AwsSolutionsChecks({ verbose: true }))
  return { stack, template: Template.fromStack(stack) }
}
