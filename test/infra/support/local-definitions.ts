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

type MapState = {
  Type: 'Map'
  ItemReader?: { Resource: string; Parameters: Record<string, string>; ReaderConfig: { InputType: string } }
  ItemBatcher?: { MaxItemsPerBatch: number; BatchInput?: Record<string, string> }
  ItemsPath?: string
  ItemProcessor: { ProcessorConfig?: unknown }
}

/**
 * aws-local-stepfunctions 3.0.0 runs Map states but has no ItemReader or ItemBatcher. This does their
 * part the way Step Functions documents it - read the JSON array from S3 with `getObject`, group it into
 * `{ BatchInput, Items }` of at most MaxItemsPerBatch - and hands the batches to the unchanged
 * ItemProcessor through ItemsPath. Everything else in the definition runs as synthesized.
 */
export async function emulateItemReaderAndBatcher(
  definition: Record<string, unknown>,
  mapStateName: string,
  input: Record<string, unknown>,
  context: Record<string, unknown>,
  getObject: (bucket: string, key: string) => Promise<string>,
): Promise<{ definition: Record<string, unknown>; input: Record<string, unknown> }> {
  const states = definition.States as Record<string, MapState>
  const map = states[mapStateName]
  if (!map?.ItemReader || !map.ItemBatcher) throw new Error(`${mapStateName} is not a Map with ItemReader and ItemBatcher`)
  const parameters = map.ItemReader.Parameters
  if (map.ItemReader.Resource !== 'arn:aws:states:::s3:getObject' || map.ItemReader.ReaderConfig.InputType !== 'JSON') throw new Error('only the s3:getObject JSON reader is emulated')
  const bucket = parameters.Bucket ?? String(readPath(parameters['Bucket.$']!, input, context))
  const key = parameters.Key ?? String(readPath(parameters['Key.$']!, input, context))
  const items = JSON.parse(await getObject(bucket, key)) as unknown[]
  const batchInput = Object.fromEntries(Object.entries(map.ItemBatcher.BatchInput ?? {}).map(([name, value]) =>
    name.endsWith('.$') ? [name.slice(0, -2), readPath(value, input, context)] : [name, value]))
  const batches = []
  for (let i = 0; i < items.length; i += map.ItemBatcher.MaxItemsPerBatch) batches.push({ BatchInput: batchInput, Items: items.slice(i, i + map.ItemBatcher.MaxItemsPerBatch) })

  const { ItemReader: _reader, ItemBatcher: _batcher, ...rest } = map
  const { ProcessorConfig: _config, ...processor } = rest.ItemProcessor as Record<string, unknown>
  const localMap = { ...rest, ItemProcessor: processor, ItemsPath: '$.__batches' }
  return {
    definition: { ...definition, States: { ...states, [mapStateName]: localMap } },
    input: { ...input, __batches: batches },
  }
}
