import type { APIGatewayProxyEvent } from 'aws-lambda'

/** A REST API (v1 payload) proxy event as API Gateway sends it for `POST /v1/batch` with IAM auth; `headers` replace the JSON content type. */
export function apiEvent(body: string | null, options: { base64?: boolean; headers?: Record<string, string> } = {}): APIGatewayProxyEvent {
  const headers = options.headers ?? { 'content-type': 'application/json' }
  return {
    resource: '/v1/batch',
    path: '/v1/batch',
    httpMethod: 'POST',
    headers: { ...headers, Host: 'abc123.execute-api.eu-west-1.amazonaws.com' },
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: 'POST',
      identity: { userArn: 'arn:aws:iam::123456789012:user/analyst', caller: 'AIDAEXAMPLE', accessKey: 'AKIAEXAMPLE' } as APIGatewayProxyEvent['requestContext']['identity'],
      path: '/prod/v1/batch',
      stage: 'prod',
      requestId: `api-${Math.random().toString(16).slice(2)}`,
      requestTimeEpoch: Date.now(),
      resourceId: 'res1',
      resourcePath: '/v1/batch',
    },
    body: body === null ? null : options.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: options.base64 ?? false,
  }
}
