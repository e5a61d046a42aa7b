import { joinKey } from '../storage/layout.js'
import { validateRequestId } from '../contract/request.js'

/** Where one request's objects live in the result store: `<resultsPrefix>/<requestId>/...`. */
export class ResultKeys {
  readonly base: string

  constructor(resultsPrefix: string, requestId: string) {
    this.base = joinKey(resultsPrefix, validateRequestId(requestId))
  }

  /** The final NDJSON result. */
  get result(): string {
    return joinKey(this.base, 'result.ndjson.gz')
  }

  /** The manifest, written last: its presence means the request is done. */
  get manifest(): string {
    return joinKey(this.base, 'manifest.json')
  }

  /** A reader's partial result. */
  part(shard: number): string {
    return joinKey(this.base, 'parts', `${String(shard).padStart(5, '0')}.ndjson.gz`)
  }

  /** A job's offloaded ID lists. */
  jobIds(shard: number): string {
    return joinKey(this.base, 'jobs', `${String(shard).padStart(5, '0')}.json`)
  }
}
