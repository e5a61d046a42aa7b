import { GetObjectCommand } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { InvalidRequestError } from '../core/contract/errors.js'
import type { S3Store } from './s3-store.js'

/**
 * Presigned GET URLs for results, so API callers can download a large result without S3 permissions
 * of their own. Keep them short-lived: the URL is a bearer credential. (A URL signed with a Lambda
 * role's session credentials also stops working when that session expires, whichever comes first.)
 */

/** Default lifetime of a result URL in seconds (15 minutes). */
export const DEFAULT_PRESIGN_EXPIRY_SECONDS = 900

/** SigV4's upper bound on a presigned URL's lifetime (7 days). */
export const MAX_PRESIGN_EXPIRY_SECONDS = 7 * 24 * 3600

/** Options of `presignGetUrl`. */
export interface PresignOptions {
  /** Lifetime in seconds (default `DEFAULT_PRESIGN_EXPIRY_SECONDS`, at most 7 days). */
  expiresInSeconds?: number
  /** Override the Content-Type the download is served with. */
  responseContentType?: string
  /** Override the Content-Disposition, e.g. `attachment; filename="result.ndjson"`. */
  responseContentDisposition?: string
}

/** A presigned GET URL for `key` in `store` (the store's prefix applies). */
export async function presignGetUrl(store: S3Store, key: string, options: PresignOptions = {}): Promise<string> {
  const expiresIn = options.expiresInSeconds ?? DEFAULT_PRESIGN_EXPIRY_SECONDS
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGN_EXPIRY_SECONDS) {
    throw new InvalidRequestError('expiresInSeconds', `must be an integer from 1 to ${MAX_PRESIGN_EXPIRY_SECONDS}, got ${expiresIn}`)
  }
  const command = new GetObjectCommand({
    Bucket: store.bucket,
    Key: store.objectKey(key),
    ResponseContentType: options.responseContentType,
    ResponseContentDisposition: options.responseContentDisposition,
  })
  return getSignedUrl(store.client, command, { expiresIn })
}
