import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type CompletedPart,
  type GetObjectCommandOutput,
  type S3ClientConfig,
} from '@aws-sdk/client-s3'
import { ObjectNotFoundError, StorageError, describeError } from '../core/contract/errors.js'
import type { ByteRange, ListOptions, ObjectInfo, ObjectStore } from '../core/storage/object-store.js'
import { StreamBody } from '../core/storage/stream-body.js'
import { PartBuffer } from './s3-part-buffer.js'
import { defaultRetryPolicy, httpStatusOf, withRetries, type RetryPolicy } from './s3-retry.js'

/**
 * The S3 adapter of the storage port: one bucket and an optional key prefix. Reads are single ranged
 * GETs, listings are ListObjectsV2 pages, and every call (body included) is retried with jittered
 * exponential backoff on throttling, 5xx and network failures. SDK errors become `ObjectNotFoundError`
 * or `StorageError`.
 */

/** Options of `S3Store.fromUrl` and the constructor. */
export interface S3StoreOptions {
  /** Custom endpoint (MinIO, fauxqs, ...); defaults to `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`. */
  endpoint?: string
  /** Region; defaults to the SDK's chain, or `us-east-1` with a custom endpoint. */
  region?: string
  /** Path-style addressing; defaults to true when a custom endpoint is set (what S3-compatible servers expect). */
  forcePathStyle?: boolean
  /** Static credentials; defaults to the SDK's default provider chain. */
  credentials?: S3ClientConfig['credentials']
  /** Retry policy for every call (default `defaultRetryPolicy`). */
  retry?: Partial<RetryPolicy>
  /** Keys per ListObjectsV2 page (S3 caps it at 1000; small values exercise pagination). */
  listPageSize?: number
  /**
   * Abort a request that has no response after this many milliseconds, or whose socket stays idle this
   * long while the body streams (default 30 s); the timeout is retried like any network failure.
   */
  requestTimeoutMs?: number
  /** Part size of streamed writes (`putStream`), bytes (default 8 MiB; S3 wants at least 5 MiB but for the last part). */
  multipartPartBytes?: number
  /** Called before each retry (for logs and metrics: throttling is worth seeing). */
  onRetry?: (retry: S3RetryEvent) => void
  /** Use this client instead of building one (the options above that configure a client are then ignored). */
  client?: S3Client
}

/** One retry of one S3 call. */
export interface S3RetryEvent {
  operation: string
  /** Full `s3://bucket/key` location. */
  location: string
  /** The attempt that failed (1-based). */
  attempt: number
  delayMs: number
  error: unknown
}

const S3_URL = /^s3:\/\/([^/]+)\/?(.*)$/

/** Split `s3://bucket/prefix` into bucket and a prefix that is empty or ends in `/`. */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = S3_URL.exec(url)
  if (!match || !match[1]) throw new StorageError(url, 'not an s3 url (expected s3://bucket[/prefix])')
  return { bucket: match[1], prefix: normalisePrefix(match[2] ?? '') }
}

function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '').replace(/\/+$/, '')
  return trimmed === '' ? '' : `${trimmed}/`
}

function envEndpoint(): string | undefined {
  return process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL || undefined
}

/** Build an S3 client configured the way this adapter expects (no SDK retries: we retry ourselves). */
export function createS3Client(options: S3StoreOptions = {}): S3Client {
  const endpoint = options.endpoint ?? envEndpoint()
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? (endpoint ? 'us-east-1' : undefined)
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
  const config: S3ClientConfig = {
    maxAttempts: 1,
    forcePathStyle: options.forcePathStyle ?? endpoint !== undefined,
    followRegionRedirects: true,
    // Without throwOnRequestTimeout the handler only logs a warning at requestTimeout, and without a
    // socketTimeout a stalled body waits for ever: a stalled GET or UploadPart would last until the Lambda dies.
    requestHandler: { requestTimeout, socketTimeout: requestTimeout, throwOnRequestTimeout: true, connectionTimeout: 5_000 },
  }
  if (endpoint !== undefined) {
    config.endpoint = endpoint
    // S3-compatible servers often lack the newer flexible checksums; send and verify them only when required.
    config.requestChecksumCalculation = 'WHEN_REQUIRED'
    config.responseChecksumValidation = 'WHEN_REQUIRED'
  }
  if (region !== undefined) config.region = region
  if (options.credentials !== undefined) config.credentials = options.credentials
  return new S3Client(config)
}

/** `ObjectStore` over one S3 bucket and key prefix. */
export class S3Store implements ObjectStore {
  readonly description: string
  readonly prefix: string
  private readonly retry: RetryPolicy
  private readonly listPageSize: number | undefined
  private readonly onRetry: ((retry: S3RetryEvent) => void) | undefined
  private readonly partBytes: number
  /** Retries made so far by this store (all operations). */
  retries = 0

  /** `prefix` is prepended to every key (normalised to end in `/`). */
  constructor(
    readonly client: S3Client,
    readonly bucket: string,
    prefix = '',
    options: Pick<S3StoreOptions, 'retry' | 'listPageSize' | 'onRetry' | 'multipartPartBytes'> = {},
  ) {
    this.prefix = normalisePrefix(prefix)
    this.description = `s3://${bucket}/${this.prefix}`.replace(/\/$/, '')
    this.retry = { ...defaultRetryPolicy, ...options.retry }
    this.listPageSize = options.listPageSize
    this.onRetry = options.onRetry
    this.partBytes = options.multipartPartBytes ?? DEFAULT_PART_BYTES
  }

  /** Open `s3://bucket[/prefix]`; a custom endpoint (option or `AWS_ENDPOINT_URL`) implies path-style. */
  static fromUrl(url: string, options: S3StoreOptions = {}): S3Store {
    const { bucket, prefix } = parseS3Url(url)
    return new S3Store(options.client ?? createS3Client(options), bucket, prefix, options)
  }

  /** The full object key of a store key (bucket-relative). */
  objectKey(key: string): string {
    return this.prefix + key
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    if (range !== undefined) {
      if (!Number.isSafeInteger(range.start) || !Number.isSafeInteger(range.end) || range.start < 0 || range.end < range.start) {
        throw new StorageError(this.location(key), `invalid byte range [${range.start}, ${range.end})`)
      }
      // A zero-length range has no HTTP form (`bytes=5-4` is invalid); nothing to fetch.
      if (range.end === range.start) return new Uint8Array(0)
    }
    return this.call(key, 'get', async () => {
      const output = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.objectKey(key),
          Range: range ? `bytes=${range.start}-${range.end - 1}` : undefined,
        }),
      )
      const bytes = await readBody(output)
      if (range === undefined) return bytes
      // Some S3-compatible servers ignore Range and answer 200 with the whole object.
      if (output.ContentRange === undefined && bytes.length > range.end - range.start) return bytes.subarray(range.start, range.end)
      checkRangeAnswer(range, output.ContentRange, bytes.length)
      return bytes
    })
  }

  async head(key: string): Promise<ObjectInfo> {
    return this.call(key, 'head', async () => {
      const output = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }))
      const info: ObjectInfo = { key, size: output.ContentLength ?? 0 }
      if (output.LastModified) info.lastModified = output.LastModified
      return info
    })
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    let continuationToken: string | undefined
    do {
      const token = continuationToken
      const page = await this.call(prefix, 'list', () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.objectKey(prefix),
            StartAfter: options.startAfter !== undefined && token === undefined ? this.objectKey(options.startAfter) : undefined,
            ContinuationToken: token,
            MaxKeys: this.listPageSize,
          }),
        ),
      )
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined || !object.Key.startsWith(this.prefix)) continue
        const info: ObjectInfo = { key: object.Key.slice(this.prefix.length), size: object.Size ?? 0 }
        if (object.LastModified) info.lastModified = object.LastModified
        yield info
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (continuationToken !== undefined)
  }

  async listFolders(prefix: string): Promise<string[]> {
    const folders: string[] = []
    let continuationToken: string | undefined
    do {
      const token = continuationToken
      const page = await this.call(prefix, 'list folders', () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.objectKey(prefix),
            Delimiter: '/',
            ContinuationToken: token,
            MaxKeys: this.listPageSize,
          }),
        ),
      )
      for (const common of page.CommonPrefixes ?? []) {
        if (common.Prefix !== undefined && common.Prefix.startsWith(this.prefix)) folders.push(common.Prefix.slice(this.prefix.length))
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (continuationToken !== undefined)
    return folders.sort()
  }

  async put(key: string, body: Uint8Array, options: { contentType?: string; contentEncoding?: string } = {}): Promise<void> {
    await this.call(key, 'put', () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.objectKey(key),
          Body: body,
          ContentLength: body.length,
          ContentType: options.contentType,
          ContentEncoding: options.contentEncoding,
        }),
      ),
    )
  }

  /**
   * A body of less than one part is one PutObject; a longer one a multipart upload, which S3 makes visible
   * only on completion (and which is aborted on any failure). One part uploads while the next one fills,
   * so the producer seldom waits for S3 and memory holds two parts.
   */
  async putStream(key: string, body: AsyncIterable<Uint8Array>, options: { contentType?: string; contentEncoding?: string } = {}): Promise<void> {
    const source = new StreamBody(body)
    const parts = new PartBuffer(this.partBytes)
    let upload: MultipartUpload | undefined
    let uploading: Promise<void> | undefined
    try {
      for await (const chunk of source) {
        for (let offset = 0; offset < chunk.length; ) {
          offset += parts.fill(chunk.subarray(offset))
          if (!parts.full()) continue
          await uploading
          upload ??= await this.createMultipartUpload(key, options)
          uploading = this.uploadPart(key, upload, parts.take())
          // Observed at the next await; until then a failure must not count as unhandled.
          uploading.catch(() => undefined)
        }
      }
      if (upload) {
        await uploading
        if (parts.size() > 0) await this.uploadPart(key, upload, parts.take())
        const { uploadId, parts: completed } = upload
        await this.call(key, 'complete multipart upload', () =>
          this.client.send(
            new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: this.objectKey(key), UploadId: uploadId, MultipartUpload: { Parts: completed } }),
          ),
        )
        return
      }
    } catch (error) {
      if (upload) {
        await uploading?.catch(() => undefined)
        await this.abortMultipartUpload(key, upload)
      }
      throw source.errorFor(error, (cause) => cause)
    }
    await this.put(key, parts.take(), options)
  }

  private async createMultipartUpload(key: string, options: { contentType?: string; contentEncoding?: string }): Promise<MultipartUpload> {
    // A client that adds checksums to every upload (the SDK default on AWS) needs the upload to declare one.
    const checksums = (await this.client.config.requestChecksumCalculation()) === 'WHEN_SUPPORTED'
    const output = await this.call(key, 'create multipart upload', () =>
      this.client.send(
        new CreateMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.objectKey(key),
          ContentType: options.contentType,
          ContentEncoding: options.contentEncoding,
          ChecksumAlgorithm: checksums ? 'CRC32' : undefined,
        }),
      ),
    )
    if (output.UploadId === undefined) throw new StorageError(this.location(key), 's3 create multipart upload returned no upload id')
    return { uploadId: output.UploadId, checksums, parts: [] }
  }

  private async uploadPart(key: string, upload: MultipartUpload, bytes: Uint8Array): Promise<void> {
    const partNumber = upload.parts.length + 1
    const output = await this.call(key, `upload part ${partNumber}`, () =>
      this.client.send(
        new UploadPartCommand({
          Bucket: this.bucket,
          Key: this.objectKey(key),
          UploadId: upload.uploadId,
          PartNumber: partNumber,
          Body: bytes,
          ContentLength: bytes.length,
          ChecksumAlgorithm: upload.checksums ? 'CRC32' : undefined,
        }),
      ),
    )
    const part: CompletedPart = { PartNumber: partNumber, ETag: output.ETag }
    if (upload.checksums && output.ChecksumCRC32 !== undefined) part.ChecksumCRC32 = output.ChecksumCRC32
    upload.parts.push(part)
  }

  // Best effort: the caller's error matters more, and a leftover upload is invisible (and lifecycle rules expire it).
  private async abortMultipartUpload(key: string, upload: MultipartUpload): Promise<void> {
    await this.call(key, 'abort multipart upload', () =>
      this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.objectKey(key), UploadId: upload.uploadId })),
    ).catch(() => undefined)
  }

  private location(key: string): string {
    return `s3://${this.bucket}/${this.objectKey(key)}`
  }

  // One place maps SDK failures to the port's typed errors, after retries are used up.
  private async call<T>(key: string, operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await withRetries(run, this.retry, (error, attempt, delayMs) => {
        this.retries++
        this.onRetry?.({ operation, location: this.location(key), attempt, delayMs, error })
      })
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(this.location(key), { cause: error })
      const status = httpStatusOf(error)
      const detail = `${errorName(error)}${status !== undefined ? ` (http ${status})` : ''}: ${describeError(error)}`
      throw new StorageError(this.location(key), `s3 ${operation} failed: ${detail}`, { cause: error })
    }
  }
}

const DEFAULT_PART_BYTES = 8 * 1024 * 1024
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

interface MultipartUpload {
  uploadId: string
  /** The upload declared CRC32 checksums, so completion lists each part's. */
  checksums: boolean
  parts: CompletedPart[]
}

/** A ranged GET answered with other bytes than asked for: retried, as a cut-off body is. */
class ShortReadError extends Error {
  readonly $retryable = { throttling: false }
  constructor(message: string) {
    super(message)
    this.name = 'ShortReadError'
  }
}

// A range that ends past the object is clipped (S3's rule); anything else must be exactly what was asked.
function checkRangeAnswer(range: ByteRange, contentRange: string | undefined, length: number): void {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(contentRange ?? '')
  const size = match?.[3] === undefined || match[3] === '*' ? Number.POSITIVE_INFINITY : Number(match[3])
  const expected = Math.min(range.end, size) - range.start
  if (match === null || Number(match[1]) !== range.start || Number(match[2]) - Number(match[1]) + 1 !== length || length !== expected) {
    throw new ShortReadError(`asked for bytes [${range.start}, ${range.end}), got ${length} bytes (${contentRange ?? 'no Content-Range'})`)
  }
}

async function readBody(output: GetObjectCommandOutput): Promise<Uint8Array> {
  if (output.Body === undefined) return new Uint8Array(0)
  return output.Body.transformToByteArray()
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'error'
}

// HeadObject has no body, so its 404 arrives as a bare `NotFound`; NoSuchBucket is a configuration error, not absence.
function isNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const name = (error as { name?: string }).name
  if (name === 'NoSuchKey' || name === 'NotFound') return true
  return name !== 'NoSuchBucket' && httpStatusOf(error) === 404
}
