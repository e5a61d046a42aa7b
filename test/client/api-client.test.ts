import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiRequestError, TempoBatchApiClient, toOtlpJson } from '../../functions/index.js'
import { generatedResultLines } from '../output/generated-results.js'
import { readOtlpJson } from '../output/otlp-conformance.js'
import { startVerifyingServer, type VerifyingServer } from './sigv4-verifying-server.js'

const keys = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'eu-west-1', service: 'execute-api' }

describe('TempoBatchApiClient: SigV4-signed POST /v1/batch against a server that verifies signatures', () => {
  let server: VerifyingServer
  let lines: string[]
  const bodies: unknown[] = []
  beforeAll(async () => {
    lines = await generatedResultLines()
    server = await startVerifyingServer(keys, (req, res, body, base) => {
      res.setHeader('content-type', 'application/json')
      if (req.url === '/presigned/result.ndjson.gz?X-Amz-Signature=abc') {
        res.end(gzipSync(lines.join('\n') + '\n'))
        return
      }
      const request = JSON.parse(body) as { tenant: string; requestId?: string }
      bodies.push(request)
      if (request.tenant === '../bad') {
        res.statusCode = 400
        res.end(JSON.stringify({ error: 'invalid request: tenant: "../bad" must not contain "/"', field: 'tenant', requestId: 'r' }))
        return
      }
      const manifest = { requestId: request.requestId ?? 'generated', tenant: request.tenant, status: 'complete', counts: { requested: lines.length } }
      const head = JSON.stringify({ manifest, manifestKey: `results/${manifest.requestId}/manifest.json`, reused: false })
      // As the API handler does: inline lines embedded byte for byte, or a presigned URL.
      const result = request.requestId === 'large' ? JSON.stringify({ inline: false, url: `${base}/presigned/result.ndjson.gz?X-Amz-Signature=abc`, expiresInSeconds: 900, contentEncoding: 'gzip' }) : `{"inline":true,"lines":[${lines.join(',')}]}`
      res.end(`${head.slice(0, -1)},"result":${result}}`)
    })
  })
  afterAll(async () => {
    await server?.close()
  })

  const client = (secretAccessKey = keys.secretAccessKey) =>
    new TempoBatchApiClient({ endpoint: `${server.url}/prod/`, region: keys.region, credentials: { accessKeyId: keys.accessKeyId, secretAccessKey } })

  it('is accepted by the verifying server; inline results come back as typed traces', async () => {
    const batch = await client().fetchBatch({ tenant: 'archive', traceIds: ['abc', 'def'], requestId: 'inline' })
    expect(server.accepted).toContain('/prod/v1/batch')
    expect(bodies.at(-1)).toEqual({ tenant: 'archive', traceIds: ['abc', 'def'], requestId: 'inline' })
    expect(batch.manifest.counts.requested).toBe(lines.length)
    const results = []
    for await (const r of batch.results()) results.push(r)
    expect(results.map((r) => r.traceId)).toEqual(lines.map((l) => (JSON.parse(l) as { traceId: string }).traceId))
    const found = results.filter((r) => r.trace)
    expect(found.length).toBeGreaterThan(0)
    for (const r of found.slice(0, 5)) expect(readOtlpJson(toOtlpJson(r.trace!))).toHaveProperty('resourceSpans')
  })

  it('follows the result location of a large result (unsigned presigned GET, gzip NDJSON)', async () => {
    const results = []
    for await (const r of client().fetchTraces({ tenant: 'archive', traceIds: ['abc'], requestId: 'large' })) results.push(r)
    expect(results).toHaveLength(lines.length)
    expect(results.filter((r) => r.status === 'found').length).toBe(lines.filter((l) => l.includes('"status":"found"')).length)
  })

  it('is refused with a wrong secret key (403), and a 400 names the bad field', async () => {
    const refused = await client('not-the-key').fetchBatch({ tenant: 'archive', traceIds: ['abc'] }).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(ApiRequestError)
    expect((refused as ApiRequestError).status).toBe(403)
    expect((refused as ApiRequestError).message).toContain('signature we calculated does not match')
    const bad = await client().fetchBatch({ tenant: '../bad', traceIds: ['abc'] }).catch((error: unknown) => error)
    expect((bad as ApiRequestError).status).toBe(400)
    expect((bad as ApiRequestError).field).toBe('tenant')
  })
})
