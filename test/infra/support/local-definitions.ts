import { Stack } from 'aws-cdk-lib'
import type { CfnStateMachine, StateMachine } from 'aws-cdk-lib/aws-stepfunctions'

/** Fake account and region the synthesized ARNs resolve to locally. */
const ACCOUNT = '123456789012'
const REGION = 'us-east-1'

/**
 * The ASL definition of a CDK state machine as CloudFormation gets it (the resolved DefinitionString;
 * resolving is what synthesis does, without the ~20 s of writing a cloud assembly), with the tokens in
 * its `Fn::Join` replaced: `Ref AWS::Partition` -> `aws`, `Ref <id>` -> `refs[id]`,
 * `Fn::GetAtt [<fn>, Arn]` -> a Lambda ARN named after the logical ID.
 */
export function definitionOf(machine: StateMachine, refs: Record<string, string> = {}): Record<string, unknown> {
  const definition: unknown = Stack.of(machine).resolve((machine.node.defaultChild as CfnStateMachine).definitionString)
  const resolve = (part: unknown): string => {
    if (typeof part === 'string') return part
    const token = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] }
    if (token.Ref === 'AWS::Partition') return 'aws'
    if (token.Ref !== undefined && refs[token.Ref] !== undefined) return refs[token.Ref]!
    if (token['Fn::GetAtt']?.[1] === 'Arn') return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${token['Fn::GetAtt'][0]}`
    throw new Error(`unresolvable token in definition: ${JSON.stringify(part)}`)
  }
  const text = typeof definition === 'string' ? definition : (definition as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map(resolve).join('')
  return JSON.parse(text) as Record<string, unknown>
}

/** A `$.a.b` path (the only form our definitions use), read from `input` or, for `$$.`, from `context`. */
export function readPath(path: string, input: unknown, context: unknown): unknown {
  const [root, rest] = path.startsWith('$$.') ? [context, path.slice(3)] : [input, path.slice(2)]
  return rest.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], root)
}
