import { joinKey, validateTenant } from '../storage/layout.js'
import { validateRequestId } from '../contract/request.js'

/**
 * Where one request's objects live in the result store:
 * `<resultsPrefix>/<tenant>/<requestId>/manifest.json`, and each run's objects under `run-<n>/`.
 * The tenant is part of the key so that a request ID can never reach another tenant's result, and
 * each run has its own folder so that a retried request never reads parts or results of an earlier run.
 */
export class ResultKeys {
  /** `<resultsPrefix>/<tenant>/<requestId>`: the request's folder. */
  readonly base: string
  /** `<base>/run-<n>`: this run's folder. */
  readonly runBase: string

  constructor(
    readonly resultsPrefix: string,
    readonly tenant: string,
    readonly requestId: string,
    /** Which run of the request (1 for the first; a retry of a partial result is run 2, ...). */
    readonly run = 1,
  ) {
    if (!Number.isSafeInteger(run) || run < 1) throw new RangeError(`run must be a positive integer, not ${run}`)
    this.base = joinKey(resultsPrefix, validateTenant(tenant), validateRequestId(requestId))
    this.runBase = joinKey(this.base, `run-${run}`)
  }

  /** The same request's keys for another run. */
  forRun(run: number): ResultKeys {
    return new ResultKeys(this.resultsPrefix, this.tenant, this.requestId, run)
  }

  /** The manifest, written last: its presence means the request is done (shared by all runs). */
  get manifest(): string {
    return joinKey(this.base, 'manifest.json')
  }

  /** This run's final NDJSON result. */
  get result(): string {
    return joinKey(this.runBase, 'result.ndjson.gz')
  }

  /** A reader's partial result in this run; the `.gz` suffix tells the reader to compress it. */
  part(shard: number, compressed = true): string {
    return joinKey(this.runBase, 'parts', `${shardName(shard)}.ndjson${compressed ? '.gz' : ''}`)
  }

  /** A job's offloaded ID lists in this run. */
  jobIds(shard: number): string {
    return joinKey(this.runBase, 'jobs', `${shardName(shard)}.json`)
  }

  /** True when `key` is the part key of some shard in some run of this request (a reader's only write). */
  ownsPartKey(key: string): boolean {
    const match = PART_KEY.exec(key.slice(this.base.length))
    if (!key.startsWith(this.base + '/') || match === null) return false
    const keys = this.forRun(Number(match[1]))
    return keys.part(Number(match[2])) === key || keys.part(Number(match[2]), false) === key
  }

  /** True when `key` is the offloaded ID list of some shard in some run of this request (a reader's only read here). */
  ownsJobIdsKey(key: string): boolean {
    const match = JOB_IDS_KEY.exec(key.slice(this.base.length))
    return key.startsWith(this.base + '/') && match !== null && this.forRun(Number(match[1])).jobIds(Number(match[2])) === key
  }
}

const PART_KEY = /^\/run-([1-9]\d{0,8})\/parts\/(\d{5,9})\.[a-z.]+$/
const JOB_IDS_KEY = /^\/run-([1-9]\d{0,8})\/jobs\/(\d{5,9})\.json$/

function shardName(shard: number): string {
  return String(shard).padStart(5, '0')
}
