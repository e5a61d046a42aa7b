import { fileURLToPath } from 'node:url'
import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda'
import { NodejsFunction, OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs'
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))

/** The handler files, one per trigger (relative to the repository root). */
export const HandlerEntries = {
  api: 'functions/handlers/api.ts',
  sqs: 'functions/handlers/sqs.ts',
  stepFunctions: 'functions/handlers/stepfunctions.ts',
  reader: 'functions/handlers/reader.ts',
  compare: 'functions/handlers/compare.ts',
} as const

/** Props of `TempoBatchFunction`: only what differs between our functions. */
export interface TempoBatchFunctionProps {
  /** Handler file relative to the repository root (see `HandlerEntries`). */
  entry: string
  description: string
  memorySize: number
  timeout: Duration
  logRetention: RetentionDays
  environment?: Record<string, string>
  reservedConcurrentExecutions?: number
  /** Powertools service name (logs and metrics dimension). */
  serviceName: string
}

/** How every function is bundled: local esbuild (no Docker), ESM for Node 22+, minified with class names kept. */
export const BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  // Bundled CommonJS dependencies (the AWS SDK) call require(); give the ESM bundle one.
  banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  minify: true,
  // Error names are an interface: the state machines retry on `StorageError` and logs filter by name.
  keepNames: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  forceDockerBundling: false,
  // Pin the SDK we tested with instead of the runtime's copy.
  externalModules: [],
}

/** Namespace of every metric the handlers emit. */
export const METRICS_NAMESPACE = 'TempoBatch'

/**
 * The one place that owns our Lambda defaults: Node.js 24 on ARM64, ESM bundles built by local esbuild
 * (no Docker), source maps, active tracing, a log group with a retention, Powertools settings.
 */
export class TempoBatchFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: TempoBatchFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY })
    super(scope, id, {
      entry: `${repoRoot}${props.entry}`,
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: `${repoRoot}package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: BUNDLING,
    })
  }
}
