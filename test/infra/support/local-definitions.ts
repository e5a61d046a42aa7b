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

/** Name of the Task state the emulation inserts in front of the Map. */
export const EMULATED_READER_STATE = 'EmulatedItemReaderAndBatcher'

/**
 * aws-local-stepfunctions 3.0.0 runs Map states but has no ItemReader or ItemBatcher. This rewrites the
 * definition so that a Task state runs just before the Map, on the Map's own input, and does their part
 * as Step Functions documents it: read the JSON array from S3 (`getObject`), group it into
 * `{ BatchInput, Items }` of at most MaxItemsPerBatch (BatchInput paths resolved against the Map's input).
 * The Map then iterates those batches through ItemsPath with its ItemProcessor unchanged. Bind the
 * returned `handler` to `EMULATED_READER_STATE` in `taskResourceLocalHandlers`.
 */
export function emulateItemReaderAndBatcher(
  definition: Record<string, unknown>,
  mapStateName: string,
  getObject: (bucket: string, key: string) => Promise<string>,
): { definition: Record<string, unknown>; handler: (input: unknown) => Promise<unknown> } {
  const states = definition.States as Record<string, MapState & { Next?: string }>
  const map = states[mapStateName]
  if (!map?.ItemReader || !map.ItemBatcher) throw new Error(`${mapStateName} is not a Map with ItemReader and ItemBatcher`)
  const reader = map.ItemReader
  const batcher = map.ItemBatcher
  if (reader.Resource !== 'arn:aws:states:::s3:getObject' || reader.ReaderConfig.InputType !== 'JSON') throw new Error('only the s3:getObject JSON reader is emulated')

  const handler = async (input: unknown): Promise<unknown> => {
    const value = (name: string): string => {
      const literal = reader.Parameters[name]
      return literal ?? String(readPath(reader.Parameters[`${name}.$`]!, input, {}))
    }
    const items = JSON.parse(await getObject(value('Bucket'), value('Key'))) as unknown[]
    const batchInput = Object.fromEntries(Object.entries(batcher.BatchInput ?? {}).map(([name, path]) =>
      name.endsWith('.$') ? [name.slice(0, -2), readPath(path, input, {})] : [name, path]))
    const batches = []
    for (let i = 0; i < items.length; i += batcher.MaxItemsPerBatch) batches.push({ BatchInput: batchInput, Items: items.slice(i, i + batcher.MaxItemsPerBatch) })
    return batches
  }

  const { ItemReader: _reader, ItemBatcher: _batcher, ...rest } = map
  const { ProcessorConfig: _config, ...processor } = rest.ItemProcessor as Record<string, unknown>
  const redirected = Object.fromEntries(Object.entries(states).map(([name, state]) => [name, state.Next === mapStateName ? { ...state, Next: EMULATED_READER_STATE } : state]))
  return {
    handler,
    definition: {
      ...definition,
      StartAt: definition.StartAt === mapStateName ? EMULATED_READER_STATE : definition.StartAt,
      States: {
        ...redirected,
        [EMULATED_READER_STATE]: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:emulated-item-reader', ResultPath: '$.__batches', Next: mapStateName },
        [mapStateName]: { ...rest, ItemProcessor: processor, ItemsPath: '$.__batches' },
      },
    },
  }
}
