import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

// The SDK warns once per process that Node 20 support ends in 2027; in test output it is only noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

/**
 * A local implementation of the Lambda Invoke HTTP API (`POST /2015-03-31/functions/{name}/invocations`)
 * on 127.0.0.1, dispatching to JS handlers, so tests exercise the real `@aws-sdk/client-lambda`
 * client. Behaves as Lambda does where the SDK can tell: handler errors are 200 with
 * `X-Amz-Function-Error: Unhandled` and `{errorType, errorMessage}`, `Event` invocations answer 202 and run
 * in the background, `DryRun` answers 204, an unknown function is 404 `ResourceNotFoundException`, a
 * request over 6 MB is 413 `RequestTooLargeException`, and a function registered with a reserved
 * concurrency answers 429 `TooManyRequestsException` when that many invocations are already running.
 */

/** What a handler receives besides the event. */
export interface LocalLambdaContext {
  functionName: string
  awsRequestId: string
  invocationType: 'RequestResponse' | 'Event' | 'DryRun'
  /** Aborted when the caller disconnects (e.g. the SDK's abortSignal fired). */
  signal: AbortSignal
}

/** A handler: return the result (JSON-serialised into the response) or throw. */
export type LocalLambdaHandler = (event: unknown, context: LocalLambdaContext) => unknown

/** One recorded invocation. */
export interface RecordedInvocation {
  functionName: string
  invocationType: string
  /** The parsed JSON payload (or the raw text when it is not JSON). */
  payload: unknown
  payloadBytes: number
  outcome?: 'ok' | 'error' | 'aborted'
}

interface RegisteredFunction {
  handler: LocalLambdaHandler
  reservedConcurrency?: number
  running: number
}

/** A running local Lambda API. */
export interface LambdaServer {
  /** `http://127.0.0.1:<port>`: pass as `endpoint` to `LambdaClient`. */
  endpoint: string
  port: number
  /** Client config for `new LambdaClient(...)` pointing here with dummy credentials. */
  clientConfig: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } }
  /** Register or replace a handler under a plain function name; `reservedConcurrency` throttles as Lambda does. */
  register(functionName: string, handler: LocalLambdaHandler, options?: { reservedConcurrency?: number }): void
  /** Synchronous invocations refused with 429 so far, per function. */
  throttled: Map<string, number>
  /** Every invocation so far, in arrival order. */
  invocations: RecordedInvocation[]
  /** Wait until background (`Event`) invocations have finished. */
  drain(): Promise<void>
  stop(): Promise<void>
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/
const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024

/**
 * The function name inside a path segment: a plain name, a partial ARN `123456789012:function:name`, a
 * full ARN, each optionally with a `:qualifier`.
 */
export function functionNameOf(segment: string): string {
  const name = decodeURIComponent(segment)
  const marker = name.indexOf('function:')
  if (marker >= 0) return name.slice(marker + 'function:'.length).split(':')[0] ?? ''
  return name.split(':')[0] ?? ''
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body ?? null)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

function serviceError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { Type: 'User', message }, { 'x-amzn-errortype': type })
}

function errorBody(error: unknown): { errorType: string; errorMessage: string; trace: string[] } {
  if (error instanceof Error) return { errorType: error.name, errorMessage: error.message, trace: [] }
  return { errorType: 'Error', errorMessage: String(error), trace: [] }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Start the local Lambda API on 127.0.0.1 (free port unless `port`), with optional initial handlers. */
export async function startLambdaServer(
  handlers: Record<string, LocalLambdaHandler> = {},
  options: { port?: number; region?: string } = {},
): Promise<LambdaServer> {
  const registry = new Map<string, RegisteredFunction>(Object.entries(handlers).map(([name, handler]) => [name, { handler, running: 0 }]))
  const throttled = new Map<string, number>()
  const invocations: RecordedInvocation[] = []
  const background = new Set<Promise<unknown>>()
  const region = options.region ?? 'us-east-1'

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) serviceError(res, 500, 'ServiceException', `local lambda server: ${String(error)}`)
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? ''
    const match = INVOKE_PATH.exec(path)
    if (req.method !== 'POST' || !match) {
      req.resume()
      serviceError(res, 404, 'UnknownOperationException', `unknown operation ${req.method} ${path}`)
      return
    }
    const body = await readBody(req)
    const functionName = functionNameOf(match[1]!)
    const invocationType = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse') as LocalLambdaContext['invocationType']
    const fn = registry.get(functionName)
    if (!fn) {
      serviceError(res, 404, 'ResourceNotFoundException', `Function not found: arn:aws:lambda:${region}:000000000000:function:${functionName}`)
      return
    }
    if (body.length > MAX_SYNC_PAYLOAD_BYTES) {
      serviceError(res, 413, 'RequestTooLargeException', `Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`)
      return
    }
    const text = body.toString('utf8')
    let payload: unknown = text
    if (text.length > 0) {
      try {
        payload = JSON.parse(text)
      } catch {
        serviceError(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json')
        return
      }
    } else {
      payload = {}
    }
    // Lambda queues Event invocations instead of refusing them; only synchronous callers see the 429.
    if (invocationType === 'RequestResponse' && fn.reservedConcurrency !== undefined && fn.running >= fn.reservedConcurrency) {
      throttled.set(functionName, (throttled.get(functionName) ?? 0) + 1)
      sendJson(res, 429, { Type: 'User', message: 'Rate Exceeded.', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' }, {
        'x-amzn-errortype': 'TooManyRequestsException',
        'retry-after': '1',
      })
      return
    }
    const record: RecordedInvocation = { functionName, invocationType, payload, payloadBytes: body.length }
    invocations.push(record)
    if (invocationType === 'DryRun') {
      res.writeHead(204).end()
      return
    }
    const abort = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) abort.abort()
    })
    const context: LocalLambdaContext = { functionName, awsRequestId: randomUUID(), invocationType, signal: abort.signal }
    fn.running++
    const run = (async () => fn.handler(payload, context))()
    void run.then(
      () => fn.running--,
      () => fn.running--,
    )
    if (invocationType === 'Event') {
      const settled = run.then(
        () => (record.outcome = 'ok'),
        () => (record.outcome = 'error'),
      )
      background.add(settled)
      void settled.finally(() => background.delete(settled))
      res.writeHead(202, { 'content-length': 0 }).end()
      return
    }
    const headers = { 'x-amz-executed-version': '$LATEST', 'x-amzn-requestid': context.awsRequestId }
    try {
      const result = await run
      record.outcome = abort.signal.aborted ? 'aborted' : 'ok'
      if (!res.destroyed) sendJson(res, 200, result === undefined ? null : result, headers)
    } catch (error) {
      record.outcome = abort.signal.aborted ? 'aborted' : 'error'
      if (!res.destroyed) sendJson(res, 200, errorBody(error), { ...headers, 'x-amz-function-error': 'Unhandled' })
    }
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const endpoint = `http://127.0.0.1:${port}`
  return {
    endpoint,
    port,
    clientConfig: { endpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    register: (name, handler, registerOptions = {}) => void registry.set(name, { handler, running: 0, ...registerOptions }),
    throttled,
    invocations,
    drain: async () => {
      while (background.size > 0) await Promise.allSettled([...background])
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
