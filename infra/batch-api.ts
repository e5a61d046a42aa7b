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

/** Props of `BatchApi`. */
export interface BatchApiProps {
  handler: IFunction
  throttlingRateLimit: number
  throttlingBurstLimit: number
  logRetention: RetentionDays
}

/** Every error API Gateway itself answers is JSON of the same shape as the handler's errors. */
const errorBody = '{"error":$context.error.messageString,"requestId":"$context.requestId"}'

/**
 * REST API with one method, `POST /v1/batch`, behind IAM (SigV4) authorization, a request model that
 * bounds the body, stage throttling, access logs and X-Ray.
 */
export class BatchApi extends Construct {
  readonly api: RestApi

  constructor(scope: Construct, id: string, props: BatchApiProps) {
    super(scope, id)
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY })
    this.api = new RestApi(this, 'Api', {
      description: 'tempo-batch: fetch many Tempo traces by ID in one request',
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.DESTROY,
      defaultMethodOptions: { authorizationType: AuthorizationType.IAM },
      deployOptions: {
        stageName: 'prod',
        throttlingRateLimit: props.throttlingRateLimit,
        throttlingBurstLimit: props.throttlingBurstLimit,
        tracingEnabled: true,
        loggingLevel: MethodLoggingLevel.ERROR,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
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
