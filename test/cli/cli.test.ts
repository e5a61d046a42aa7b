import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cp, mkdtemp, readFile, rm, writeFile, truncate } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hasSharedFixtures, sharedFixturesSkipNote } from '../support/shared-fixtures.js'
import { backendRoot, loadGoldens } from '../e2e/goldens.js'
import { runCli, type CliRun } from '../support/run-cli.js'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { generateTenant } from '../../functions/generator/generate-tenant.js'
import { canonical, ExportTraceServiceRequest } from '../support/otlp-reference.js'
import { readOtlpJson } from '../output/otlp-conformance.js'

sharedFixturesSkipNote('cli')

function cli(args: string[], options: { input?: string } = {}): Promise<CliRun> {
  return runCli(args, { cwd: work, ...options })
}

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tempo-batch-cli-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('tempo-batch argument errors exit 2 with one line', () => {
  it.each([
    [[], 'usage'],
    [['frobnicate'], 'unknown command'],
    [['fetch', '--tenant', 't', '--id', '1'], '--store'],
    [['fetch', '--store', '.', '--tenant', 't'], '--ids'],
    [['fetch', '--store', '.', '--tenant', 't', '--id', 'xyz'], 'not hexadecimal'],
    [['fetch', '--store', '.', '--tenant', '../t', '--id', '1'], 'tenant'],
    [['fetch', '--store', '.', '--tenant', 't', '--id', '1', '--start', '5', '--end', '4'], 'greater than start'],
    [['fetch', '--store', '.', '--tenant', 't', '--id', '1', '--bogus'], 'bogus'],
    [['blocks', '--store', '.'], '--tenant'],
    [['fetch', '--store', '.', '--tenant', 't', '--id', '1', '--format', 'jaeger'], '--format: "jaeger" is not one of tempo, otlp-json, otlp-proto, spans-parquet'],
  ])('%j', async (args, text) => {
    const { code, stderr, stdout } = await cli(args)
    expect(code).toBe(2)
    expect((stderr + stdout).toLowerCase()).toContain(text.toLowerCase())
    if (args.length > 0) expect(stderr.trim().split('\n').length).toBeLessThanOrEqual(2)
    expect(stderr).not.toMatch(/\n\s+at /)
  })
})

describe.skipIf(!hasSharedFixtures)('tempo-batch on the generated fixtures', () => {
  it('fetch writes Tempo-exact NDJSON for IDs from a file and --id, and the manifest to --stats (exit 0)', async () => {
    const records = loadGoldens('vParquet4', 'tenant-b').filter((r) => !r.start && !r.end && r.v2.status === undefined)
    const ids = records.slice(1).map((r) => r.traceId)
    await writeFile(join(work, 'ids.txt'), `# tenant-b\n${ids.join('\n')}\n`)
    const { code, stdout, stderr } = await cli([
      'fetch', '--store', backendRoot('vParquet4'), '--tenant', 'tenant-b', '--ids', 'ids.txt', '--id', records[0]!.traceIdShort ?? records[0]!.traceId,
      '--max-bytes-per-trace', '100000', '--results', join(work, 'results'), '--stats', 'manifest.json', '--request-id', 'cli-1',
    ])
    expect(stderr).toContain(`${records.length} requested`)
    expect(code).toBe(0)
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { traceId: string; status: string; trace?: unknown })
    expect(lines.map((l) => l.traceId)).toEqual(records.map((r) => r.traceId).sort())
    const byId = new Map(lines.map((l) => [l.traceId, l]))
    for (const record of records) expect(byId.get(record.traceId)!.trace ?? {}).toEqual(record.v2.trace)
    const manifest = JSON.parse(await readFile(join(work, 'manifest.json'), 'utf8')) as { requestId: string; status: string }
    expect(manifest).toMatchObject({ requestId: 'cli-1', status: 'complete' })
  })

  it('blocks lists a tenant as JSON', async () => {
    const { code, stdout } = await cli(['blocks', '--store', backendRoot('vParquet5'), '--tenant', 'tenant-b', '--json'])
    expect(code).toBe(0)
    const listing = JSON.parse(stdout) as { blocks: { blockId: string; format: string; traces: number }[] }
    expect(listing.blocks.map((b) => [b.blockId, b.format, b.traces])).toEqual([
      ['65e23078-aa52-5958-a217-7fd80d6eb5b6', 'vParquet5', 26],
      ['9850d583-1a52-5f9d-81f6-e8afec4f1446', 'vParquet5', 16],
      ['b51708de-ec37-540c-9ec2-af31c2a0636d', 'vParquet5', 19],
    ])
  })

  it('fetch exits 3 when a block is corrupt, with the other IDs still in the output', async () => {
    const store = join(work, 'damaged')
    await cp(join(backendRoot('vParquet4'), 'tenant-b'), join(store, 'tenant-b'), { recursive: true })
    const b1 = '505c837e-fc6a-52eb-8599-ff445eac7747'
    await truncate(join(store, 'tenant-b', b1, 'data.parquet'), 1000)
    const records = loadGoldens('vParquet4', 'tenant-b').filter((r) => !r.start && !r.end)
    const { code, stdout } = await cli(['fetch', '--store', store, '--tenant', 'tenant-b', '--ids', '-', '--results', join(work, 'results2')], {
      input: records.map((r) => r.traceId).join('\n'),
    })
    expect(code).toBe(3)
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { traceId: string; status: string; message?: string })
    expect(lines).toHaveLength(records.length)
    const statuses = new Map(lines.map((l) => [l.traceId, l]))
    for (const record of records.filter((r) => r.blocks.includes(b1))) {
      expect(statuses.get(record.traceId)!.status).toBe('partial')
      expect(statuses.get(record.traceId)!.message).toContain(b1)
    }
    expect(lines.filter((l) => l.status === 'found').length).toBeGreaterThan(10)
  })
})

describe('fetch --format on a generated tenant', () => {
  it('otlp-json writes one ExportTraceServiceRequest per found trace; otlp-proto the same traces length-delimited', async () => {
    const summary = await generateTenant(new FsStore(join(work, 'gen')), { tenant: 'gen', seed: 3, blocks: 1, tracesPerBlock: 12, rowGroupBytes: 100_000, pageBytes: 8_192 })
    const ids = [...summary.traceIds.slice(0, 5), 'abcdef']
    const base = ['fetch', '--store', join(work, 'gen'), '--tenant', 'gen', '--results', join(work, 'gen-results'), ...ids.flatMap((id) => ['--id', id])]
    const json = await cli([...base, '--format', 'otlp-json'])
    expect(json.code, json.stderr).toBe(0)
    const requests = json.stdout.trim().split('\n').map(readOtlpJson)
    expect(requests).toHaveLength(5)
    const proto = await cli([...base, '--format', 'otlp-proto', '--out', join(work, 'traces.pb')])
    expect(proto.code, proto.stderr).toBe(0)
    const bytes = await readFile(join(work, 'traces.pb'))
    const decoded: unknown[] = []
    for (let at = 0; at < bytes.length; ) {
      const length = bytes[at]! < 0x80 ? bytes[at++]! : (bytes[at++]! & 0x7f) + bytes[at++]! * 0x80
      decoded.push(canonical(ExportTraceServiceRequest, ExportTraceServiceRequest.decode(bytes.subarray(at, at + length))))
      at += length
    }
    expect(decoded).toEqual(requests)
  })
})
