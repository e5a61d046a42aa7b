import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  JsonSchemaType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway'
import type { IFunction } from 'aws-cdk-lib/aws-lambda'
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'

/**
 * How API Gateway logs to CloudWatch. Any API Gateway logging needs the account's (per region) CloudWatch
 * role set in API Gateway's settings, one role shared by every API of the account:
 * - `off`: no API Gateway logs (the coordinator's own logs and X-Ray still cover every request); deploys anywhere.
 * - `existing-role`: access logs and error logs; the account already has the role (deploy fails otherwise).
 * - `create-role`: as above, and this stack creates the role and sets it as the account's, replacing any
 *   other; both are kept when the stack is deleted, so other APIs' logging survives it.
 */
export type ApiLogging = 'off' | 'existing-role' | 'create-role'

/** Props of `BatchApi`. */
export interface BatchApiProps {
  handler: IFunction
  throttlingRateLimit: number
  throttlingBurstLimit: number
  logRetention: RetentionDays
  logging: ApiLogging
}

/** Every error API Gateway itself answers is JSON of the same shape as the handler's errors. */
const errorBody = '{"error":$context.error.messageString,"requestId":"$context.requestId"}'

/**
 * REST API with one method, `POST /v1/batch`, behind IAM (SigV4) authorization, a request model that
 * bounds the body, stage throttling, X-Ray, and access and error logs unless `logging` is off.
 */
export class BatchApi extends Construct {
  readonly api: RestApi
  readonly logging: ApiLogging

  constructor(scope: Construct, id: string, props: BatchApiProps) {
    super(scope, id)
    this.logging = props.logging
    const logged = props.logging !== 'off'
    this.api = new RestApi(this, 'Api', {
      description: 'tempo-batch: fetch many Tempo traces by ID in one request',
      endpointTypes: [EndpointType.REGIONAL],
      // The account's role is not ours to manage unless asked; deleting it would break other APIs' logging.
      cloudWatchRole: props.logging === 'create-role',
      ...(props.logging === 'create-role' ? { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN } : {}),
      defaultMethodOptions: { authorizationType: AuthorizationType.IAM },
      deployOptions: {
        stageName: 'prod',
        throttlingRateLimit: props.throttlingRateLimit,
        throttlingBurstLimit: props.throttlingBurstLimit,
        tracingEnabled: true,
        ...(logged
          ? {
              loggingLevel: MethodLoggingLevel.ERROR,
              accessLogDestination: new LogGroupLogDestination(new LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY })),
              accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
            }
          : {}),
      },
    })

    // The batch API contract (functions/core/contract/batch-api.ts) is checked by the handler, the same
    // code as the local server's: the model only insists on a JSON object, which the contract refuses the
    // same way (400, field "body"). Stricter rules here would answer some requests differently.
    const model = this.api.addModel('BatchRequest', { contentType: 'application/json', schema: { type: JsonSchemaType.OBJECT } })
    const validator = this.api.addRequestValidator('BodyValidator', { validateRequestBody: true, validateRequestParameters: true })

    const batch = this.api.root.addResource('v1').addResource('batch')
    batch.addMethod('POST', new LambdaIntegration(props.handler, { timeout: Duration.seconds(29) }), {
      authorizationType: AuthorizationType.IAM,
      requestValidator: validator,
      requestModels: { 'application/json': model },
    })

    this.api.addGatewayResponse('BadBody', {
      type: ResponseType.BAD_REQUEST_BODY,
      statusCode: '400',
      // messageString is quoted and escaped by API Gateway; validationErrorString is not, so it could break the JSON.
      templates: { 'application/json': '{"error":$context.error.messageString,"field":"body","requestId":"$context.requestId"}' },
    })
    this.api.addGatewayResponse('Throttled', { type: ResponseType.THROTTLED, statusCode: '429', templates: { 'application/json': errorBody } })
    this.api.addGatewayResponse('TooLarge', { type: ResponseType.REQUEST_TOO_LARGE, statusCode: '413', templates: { 'application/json': errorBody } })
    this.api.addGatewayResponse('Default4xx', { type: ResponseType.DEFAULT_4XX, templates: { 'application/json': errorBody } })
    this.api.addGatewayResponse('Default5xx', { type: ResponseType.DEFAULT_5XX, templates: { 'application/json': errorBody } })
  }
}
