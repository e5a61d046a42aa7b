import { describeError } from '../contract/errors.js'
import type { Manifest, RerunReport, TraceStatus } from '../contract/types.js'
import type { ObjectStore } from '../storage/object-store.js'
import { readObjectChunks } from '../storage/read-stream.js'
import { ndjsonLines } from './ndjson.js'

// Result lines start with traceId and status (formatResultLine), so the status is read without parsing the trace.
const LINE_HEAD = /^\{"traceId":"([0-9a-f]{32})","status":"([a-z_]+)"/

/**
 * Counts how the statuses of a re-run request differ from its previous result. Both results hold one
 * line per requested ID in ascending ID order, so the previous result is streamed alongside the new
 * one: memory holds one line, whatever the batch size.
 */
export class StatusChanges {
  private readonly lines: AsyncIterator<string>
  private pending: { traceId: string; status: string } | undefined
  private done = false
  private unreadable: string | undefined
  private changed = 0
  private readonly transitions: Record<string, number> = {}

  constructor(
    store: ObjectStore,
    private readonly previous: Manifest,
  ) {
    this.lines = ndjsonLines(readObjectChunks(store, previous.resultKey))[Symbol.asyncIterator]()
  }

  /** Record the new status of `traceId` (call in ascending ID order). */
  async add(traceId: string, status: TraceStatus): Promise<void> {
    const before = await this.previousStatus(traceId)
    if (before === undefined || before === status) return
    this.changed++
    const key = `${before}->${status}`
    this.transitions[key] = (this.transitions[key] ?? 0) + 1
  }

  /** The report for the new manifest. */
  report(): RerunReport {
    const report: RerunReport = {
      previousRun: this.previous.run,
      previousStatus: this.previous.status,
      previousCounts: this.previous.counts,
      previousCreatedAt: this.previous.createdAt,
      changed: this.changed,
      transitions: this.transitions,
    }
    if (this.unreadable !== undefined) report.previousUnreadable = this.unreadable
    return report
  }

  /** Stop reading the previous result (after the run, or when it failed). */
  async close(): Promise<void> {
    if (!this.done) {
      this.done = true
      await this.lines.return?.()
    }
  }

  private async previousStatus(traceId: string): Promise<string | undefined> {
    try {
      while (!this.done && (this.pending === undefined || this.pending.traceId < traceId)) {
        const next = await this.lines.next()
        if (next.done) {
          this.done = true
          this.pending = undefined
          break
        }
        this.pending = parseHead(next.value)
      }
    } catch (error) {
      // The previous result is only read to report changes: losing it must not fail the new run.
      this.unreadable = describeError(error)
      this.done = true
      this.pending = undefined
    }
    return this.pending?.traceId === traceId ? this.pending.status : undefined
  }
}

function parseHead(line: string): { traceId: string; status: string } {
  const head = LINE_HEAD.exec(line)
  if (head) return { traceId: head[1]!, status: head[2]! }
  const value = JSON.parse(line) as { traceId: string; status: string }
  return { traceId: value.traceId, status: value.status }
}
