import { randomUUID } from 'node:crypto'
import { readPath } from './local-definitions.js'

type MapState = {
  Type: 'Map'
  ItemReader?: { Resource: string; Parameters: Record<string, string>; ReaderConfig: { InputType: string } }
  ItemBatcher?: { MaxItemsPerBatch: number; MaxInputBytesPerBatch?: number; BatchInput?: Record<string, string> }
  ResultWriter?: { Resource: string; Parameters: { Bucket: string; Prefix?: string } }
  ResultPath?: string
  ItemsPath?: string
  Next?: string
  End?: boolean
  ItemProcessor: { ProcessorConfig?: unknown }
}

/** Names of the Task states the emulation inserts before and after the Map. */
export const EMULATED_STATES = { reader: 'EmulatedItemReaderAndBatcher', writer: 'EmulatedResultWriter' } as const

/** The S3 calls the emulated reader and writer make. */
export interface LocalS3 {
  getObject(bucket: string, key: string): Promise<string>
  putObject(bucket: string, key: string, body: string): Promise<void>
}

const ITEMS = '__batches'
const RESULTS = '__results'

/**
 * aws-local-stepfunctions 3.0.0 runs Map states but has no ItemReader, ItemBatcher or ResultWriter. This
 * rewrites the definition so that Task states do their part as Step Functions documents it:
 * - before the Map, on the Map's own input: read the JSON array from S3 (`getObject`) and group it into
 *   `{ BatchInput, Items }` of at most MaxItemsPerBatch items and MaxInputBytesPerBatch bytes (BatchInput
 *   paths resolved against the Map's input); the Map then iterates them through ItemsPath;
 * - after the Map, when it has a ResultWriter: write the child executions' records to
 *   `<Prefix>/<map run id>/SUCCEEDED_0.json` and the run's `manifest.json`, and put only
 *   `{ MapRunArn, ResultWriterDetails: { Bucket, Key } }` at the Map's ResultPath, which is all the real
 *   Map state outputs. (Locally the Map still gathers its results first; that state is the emulation's.)
 * Bind the returned handlers to `EMULATED_STATES` in `taskResourceLocalHandlers`.
 */
export function emulateDistributedMap(
  definition: Record<string, unknown>,
  mapStateName: string,
  s3: LocalS3,
): { definition: Record<string, unknown>; handlers: Record<string, (input: unknown) => Promise<unknown>> } {
  const states = definition.States as Record<string, MapState>
  const map = states[mapStateName]
  if (!map?.ItemReader || !map.ItemBatcher) throw new Error(`${mapStateName} is not a Map with ItemReader and ItemBatcher`)
  const { ItemReader: reader, ItemBatcher: batcher, ResultWriter: writer, ...rest } = map
  if (reader.Resource !== 'arn:aws:states:::s3:getObject' || reader.ReaderConfig.InputType !== 'JSON') throw new Error('only the s3:getObject JSON reader is emulated')

  const readAndBatch = async (input: unknown): Promise<unknown> => {
    const value = (name: string): string => reader.Parameters[name] ?? String(readPath(reader.Parameters[`${name}.$`]!, input, {}))
    const items = JSON.parse(await s3.getObject(value('Bucket'), value('Key'))) as unknown[]
    const batchInput = Object.fromEntries(Object.entries(batcher.BatchInput ?? {}).map(([name, path]) =>
      name.endsWith('.$') ? [name.slice(0, -2), readPath(path, input, {})] : [name, path]))
    const maxBytes = batcher.MaxInputBytesPerBatch ?? 256 * 1024
    const batches: { BatchInput: unknown; Items: unknown[] }[] = []
    for (const item of items) {
      const last = batches.at(-1)
      const fits = last && last.Items.length < batcher.MaxItemsPerBatch && Buffer.byteLength(JSON.stringify({ ...last, Items: [...last.Items, item] })) <= maxBytes
      if (fits) last.Items.push(item)
      else batches.push({ BatchInput: batchInput, Items: [item] })
    }
    return batches
  }

  const writeResults = async (input: unknown): Promise<unknown> => {
    const state = input as Record<string, unknown>
    const { [RESULTS]: outputs, [ITEMS]: batches, ...kept } = state
    const runId = randomUUID()
    const mapRunArn = `arn:aws:states:us-east-1:123456789012:mapRun:local/${runId}`
    const prefix = `${writer!.Parameters.Prefix ?? ''}/${runId}`.replace(/^\//, '')
    const records = (outputs as unknown[]).map((output, i) => ({
      ExecutionArn: `${mapRunArn}:${i}`, Input: JSON.stringify((batches as unknown[])[i]), InputDetails: { Included: true },
      Name: String(i), Output: JSON.stringify(output), OutputDetails: { Included: true }, Status: 'SUCCEEDED',
    }))
    const succeeded = `${prefix}/SUCCEEDED_0.json`
    const body = JSON.stringify(records)
    await s3.putObject(writer!.Parameters.Bucket, succeeded, body)
    const manifest = { DestinationBucket: writer!.Parameters.Bucket, MapRunArn: mapRunArn, ResultFiles: { FAILED: [], PENDING: [], SUCCEEDED: [{ Key: succeeded, Size: Buffer.byteLength(body) }] } }
    await s3.putObject(writer!.Parameters.Bucket, `${prefix}/manifest.json`, JSON.stringify(manifest))
    const field = (rest.ResultPath ?? '$').replace(/^\$\.?/, '')
    const details = { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: writer!.Parameters.Bucket, Key: `${prefix}/manifest.json` } }
    return field === '' ? details : { ...kept, [field]: details }
  }

  const { ProcessorConfig: _config, ...processor } = rest.ItemProcessor as Record<string, unknown>
  const emulatedMap: Record<string, unknown> = { ...rest, ItemProcessor: processor, ItemsPath: `$.${ITEMS}` }
  const emulated: Record<string, unknown> = {
    [EMULATED_STATES.reader]: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:emulated-item-reader', ResultPath: `$.${ITEMS}`, Next: mapStateName },
  }
  if (writer) {
    emulatedMap.ResultPath = `$.${RESULTS}`
    delete emulatedMap.Next
    delete emulatedMap.End
    emulatedMap.Next = EMULATED_STATES.writer
    emulated[EMULATED_STATES.writer] = {
      Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:emulated-result-writer',
      ...(rest.Next !== undefined ? { Next: rest.Next } : { End: true }),
    }
  }
  const redirected = Object.fromEntries(Object.entries(states).map(([name, state]) => [name, state.Next === mapStateName ? { ...state, Next: EMULATED_STATES.reader } : state]))
  return {
    handlers: { [EMULATED_STATES.reader]: readAndBatch, [EMULATED_STATES.writer]: writeResults },
    definition: {
      ...definition,
      StartAt: definition.StartAt === mapStateName ? EMULATED_STATES.reader : definition.StartAt,
      States: { ...redirected, ...emulated, [mapStateName]: emulatedMap },
    },
  }
}
