import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FsStore } from '../../functions/adapters/fs-store.js'
import { S3Store } from '../../functions/adapters/s3-store.js'
import { isS3Spec, openStore } from '../../functions/adapters/store-url.js'
import { applyAwsEnv, startFauxqs, type FauxqsHandle } from '../support/fauxqs.js'

const decoder = new TextDecoder()

describe('openStore', () => {
  let fauxqs: FauxqsHandle
  let dir: string
  let restoreEnv: () => void

  beforeAll(async () => {
    fauxqs = await startFauxqs()
    // Credentials come from the default chain, as in production; only the endpoint is passed explicitly.
    restoreEnv = applyAwsEnv({ env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: fauxqs.region } })
    dir = await mkdtemp(join(tmpdir(), 'tempo-batch-store-url-'))
  })
  afterAll(async () => {
    restoreEnv?.()
    await fauxqs?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('recognises s3 specs', () => {
    expect(isS3Spec('s3://bucket')).toBe(true)
    expect(isS3Spec('/data/s3://x')).toBe(false)
    expect(isS3Spec('./blocks')).toBe(false)
  })

  it('opens s3://bucket/prefix as an S3Store on the given endpoint, path-style', async () => {
    await fauxqs.createBucket('tempo')
    const store = await openStore('s3://tempo/traces', { endpoint: fauxqs.endpoint })
    expect(store).toBeInstanceOf(S3Store)
    expect(store.description).toBe('s3://tempo/traces')
    await store.put('t/x', new TextEncoder().encode('hello'))
    const direct = fauxqs.openStore('tempo')
    expect(decoder.decode(await direct.get('traces/t/x'))).toBe('hello')
  })

  it('shares one client between stores with the same connection settings', async () => {
    const a = (await openStore('s3://tempo/a', { endpoint: fauxqs.endpoint })) as S3Store
    const b = (await openStore('s3://results', { endpoint: fauxqs.endpoint })) as S3Store
    const c = (await openStore('s3://results', { endpoint: fauxqs.endpoint, region: 'eu-west-1' })) as S3Store
    expect(a.client).toBe(b.client)
    expect(c.client).not.toBe(a.client)
  })

  it('opens a directory path or a file: URL as an FsStore', async () => {
    const plain = await openStore(dir)
    expect(plain).toBeInstanceOf(FsStore)
    await plain.put('a/b', new TextEncoder().encode('fs'))
    const viaUrl = await openStore(pathToFileURL(dir).href)
    expect(viaUrl).toBeInstanceOf(FsStore)
    expect(decoder.decode(await viaUrl.get('a/b'))).toBe('fs')
    expect(viaUrl.description).toBe(plain.description)
  })
})
