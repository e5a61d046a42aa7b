/** A progress bar on stderr when it is a terminal; silent otherwise (pipes and CI logs stay clean). */
export async function createProgress(unit: string): Promise<{ update(done: number, total: number): void; stop(): void }> {
  if (!process.stderr.isTTY) return { update() {}, stop() {} }
  // Loaded only for a terminal: scripts and pipes never pay for it.
  const { default: cliProgress } = await import('cli-progress')
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
