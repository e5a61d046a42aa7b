import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemoryStore } from '../../functions/core/storage/memory-store.js'
import type { RunningServer } from '../../functions/server/server.js'
import { serveStore } from './generated-server.js'

const ownVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version

describe('Tempo endpoints clients probe, answered as Tempo v3 answers them', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await serveStore(new MemoryStore())
  })
  afterAll(async () => {
    await server?.close()
  })

  it('GET /api/echo is Go http.Error("echo", 200): text/plain, "echo\\n", nosniff (Grafana\'s data source test)', async () => {
    const response = await fetch(`${server.url}/api/echo`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.text()).toBe('echo\n')
  })

  it('GET /ready is "ready\\n" like Tempo\'s readiness probe', async () => {
    const response = await fetch(`${server.url}/ready`)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('ready\n')
  })

  it('GET /api/status/buildinfo has Tempo\'s fields with our own version (Grafana reads .version)', async () => {
    const response = await fetch(`${server.url}/api/status/buildinfo`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    const text = await response.text()
    expect(text.endsWith('}\n')).toBe(true)
    const body = JSON.parse(text) as Record<string, string>
    expect(Object.keys(body)).toEqual(['version', 'revision', 'branch', 'buildUser', 'buildDate', 'goVersion'])
    expect(body.version).toBe(ownVersion)
  })

  it.each([
    ['/api/search?q=%7B%7D', 'search'],
    ['/api/search/tags', 'tag search'],
    ['/api/v2/search/tags?scope=resource', 'tag search'],
    ['/api/search/tag/service.name/values', 'tag search'],
    ['/api/v2/search/tag/resource.service.name/values', 'tag search'],
    ['/api/metrics/query_range?q=%7B%7D%7Crate()', 'TraceQL metrics'],
    ['/api/metrics/query', 'TraceQL metrics'],
    ['/api/overrides', 'overrides'],
  ])('%s is a 501 JSON naming the feature, with the message Grafana shows', async (path, feature) => {
    const response = await fetch(server.url + path, { headers: { 'X-Scope-OrgID': 'archive' } })
    expect(response.status).toBe(501)
    const body = (await response.json()) as { error: string; message: string }
    expect(body.error).toContain(feature)
    expect(body.message).toBe(body.error)
  })

  it('an unknown path is a 404 JSON; a wrong method a 405; a bad %-escape a 400', async () => {
    expect((await fetch(`${server.url}/api/nothing`)).status).toBe(404)
    expect((await fetch(`${server.url}/api/echo`, { method: 'POST' })).status).toBe(405)
    expect((await fetch(`${server.url}/v1/batch`)).status).toBe(405)
    const bad = await fetch(`${server.url}/api/traces/%E0%A4%A`)
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { field: string }).field).toBe('path')
  })
})
