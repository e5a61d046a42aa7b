import cliProgress from 'cli-progress'

/** A progress bar on stderr when it is a terminal; silent otherwise (pipes and CI logs stay clean). */
export function createProgress(unit: string): { update(done: number, total: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { update() {}, stop() {} }
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `{bar} {value}/{total} ${unit} | {duration_formatted}`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  )
  let started = false
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done)
        started = true
      } else bar.update(done)
    },
    stop() {
      if (started) bar.stop()
      started = false
    },
  }
}
