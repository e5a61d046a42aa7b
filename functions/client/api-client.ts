import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types'
import { defaultProvider } from '@aws-sdk/credential-provider-node'
import type { SignatureV4 } from '@smithy/signature-v4'
import { TempoBatchError } from '../core/contract/errors.js'
import type { Manifest, ResultLine } from '../core/contract/types.js'
import { ndjsonLines } from '../core/results/ndjson.js'
import { traceResultOf, type TraceResult } from '../lib/trace-result.js'
import { createSigner, signedHeaders } from './sigv4.js'

/** How to reach a deployed tempo-batch API. */
export interface ApiClientOptions {
  /** The stage URL (the stack output `ApiEndpoint`, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/prod/`). */
  endpoint: string
  region: string
  /** Default: AWS's standard chain (environment, profile, SSO, web identity, container or instance role). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider
  /** Default `execute-api`. */
  service?: string
  /** Default: the global `fetch`. */
  fetch?: typeof fetch
}

/** The batch request the API takes (see the README's request contract). */
export interface ApiBatchRequest {
  tenant: string
  traceIds?: readonly string[]
  traces?: readonly { id: string; start?: number; end?: number }[]
  start?: number
  end?: number
  requestId?: string
  maxBytesPerTrace?: number
}

/** The API answered with an error status; `field` names the bad input of a 400. */
export class ApiRequestError extends TempoBatchError {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly field?: string,
  ) {
    super(`tempo-batch api: status ${status}: ${body.slice(0, 300)}`)
  }
}

/** A batch the API finished: manifest, and results read inline or from the presigned result location. */
export interface ApiBatch {
  manifest: Manifest
  manifestKey: string
  reused: boolean
  results(): AsyncIterable<TraceResult>
}

type ResultMember = { inline: true; lines: ResultLine[] } | { inline: false; url: string }

/**
 * A client for the deployed API (`POST /v1/batch`, IAM authorization): signs each request with SigV4
 * (AWS's signer), and follows the result location when the result is too large to come inline.
 */
export class TempoBatchApiClient {
  private readonly signer: SignatureV4
  private readonly fetch: typeof fetch
  private readonly batchUrl: URL

  constructor(options: ApiClientOptions) {
    this.signer = createSigner({ region: options.region, service: options.service, credentials: options.credentials ?? defaultProvider() })
    this.fetch = options.fetch ?? globalThis.fetch
    this.batchUrl = new URL('v1/batch', options.endpoint.endsWith('/') ? options.endpoint : `${options.endpoint}/`)
  }

  /** Run one batch and return its manifest and results; throws `ApiRequestError` for an error status. */
  async fetchBatch(request: ApiBatchRequest): Promise<ApiBatch> {
    const body = JSON.stringify(request)
    const headers = await signedHeaders(this.signer, this.batchUrl, 'POST', { 'content-type': 'application/json' }, body)
    const response = await this.fetch(this.batchUrl, { method: 'POST', headers, body })
    const text = await response.text()
    if (!response.ok) throw new ApiRequestError(response.status, text, fieldOf(text))
    const answer = JSON.parse(text) as { manifest: Manifest; manifestKey: string; reused: boolean; result: ResultMember }
    return { manifest: answer.manifest, manifestKey: answer.manifestKey, reused: answer.reused, results: () => this.results(answer.result) }
  }

  /** The results of one batch, one per distinct requested ID in ascending order. */
  async *fetchTraces(request: ApiBatchRequest): AsyncGenerator<TraceResult> {
    yield* (await this.fetchBatch(request)).results()
  }

  private async *results(result: ResultMember): AsyncIterable<TraceResult> {
    if (result.inline) {
      for (const line of result.lines) yield traceResultOf(line)
      return
    }
    // A presigned URL: it carries its own authorization, so it is fetched unsigned.
    const response = await this.fetch(result.url)
    if (!response.ok) throw new ApiRequestError(response.status, await response.text())
    // gzip NDJSON; the lines reader tells gzip from plain by its magic bytes (a proxy may have inflated it).
    for await (const line of ndjsonLines(new Uint8Array(await response.arrayBuffer()))) yield traceResultOf(JSON.parse(line) as ResultLine)
  }
}

function fieldOf(text: string): string | undefined {
  try {
    const field = (JSON.parse(text) as { field?: unknown }).field
    return typeof field === 'string' ? field : undefined
  } catch {
    return undefined
  }
}
