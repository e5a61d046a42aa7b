import { BUCKETS, bucketOf, type Bucket } from './categories.js'

/** The parts of a V8 `.cpuprofile` (as `--cpu-prof` or `inspector` Profiler.stop writes it) used here. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; hitCount?: number; children?: number[] }[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

/** CPU time of one or more profiles split into buckets (ms), with the hottest functions. */
export interface ProfileBreakdown {
  /** Sampled time in which the thread ran (everything but idle), ms. */
  cpuMs: number
  idleMs: number
  buckets: Record<Bucket, number>
  /** Self time per `function file` (file = last two path parts), hottest first. */
  top: { frame: string; bucket: Bucket; ms: number }[]
}

/**
 * Attribute each sample's time (the delta to the next sample) to the function it was taken in; a native
 * frame (no script, e.g. zlib's `write` or a typed array's `slice`) counts for its nearest JS caller's
 * bucket, so gzip of the parts lands in encoding and a file write in io.
 */
export function breakdownOf(profiles: readonly CpuProfile[], topCount = 15): ProfileBreakdown {
  const buckets = Object.fromEntries(BUCKETS.map((b) => [b, 0])) as Record<Bucket, number>
  const frames = new Map<string, { bucket: Bucket; us: number }>()
  let idleUs = 0
  let cpuUs = 0
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
    const parents = new Map<number, number>()
    for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id)
    const bucketCache = new Map<number, Bucket | 'idle'>()
    const bucketOfNode = (id: number): Bucket | 'idle' => {
      let frame = nodes.get(id)
      const { functionName } = frame!.callFrame
      // Native code: walk up to the first caller with a script (V8's pseudo-frames like (garbage collector) stay).
      while (frame && frame.callFrame.url === '' && !functionName.startsWith('(')) {
        const parent = parents.get(frame.id)
        const next = parent === undefined ? undefined : nodes.get(parent)
        if (!next || next.callFrame.functionName === '(root)') break
        frame = next
      }
      return bucketOf(frame!.callFrame.url, frame === nodes.get(id) ? functionName : frame!.callFrame.functionName)
    }
    for (let i = 0; i < profile.samples.length; i++) {
      // timeDeltas[i] is the time before sample i; the time a sample stands for is the next delta.
      const us = profile.timeDeltas[i + 1] ?? 0
      const id = profile.samples[i]!
      const node = nodes.get(id)
      if (!node) continue
      let bucket = bucketCache.get(id)
      if (bucket === undefined) bucketCache.set(id, (bucket = bucketOfNode(id)))
      if (bucket === 'idle') {
        idleUs += us
        continue
      }
      cpuUs += us
      buckets[bucket] += us
      const frame = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').slice(-2).join('/')}`.trim()
      const entry = frames.get(frame) ?? { bucket, us: 0 }
      entry.us += us
      frames.set(frame, entry)
    }
  }
  for (const b of BUCKETS) buckets[b] /= 1000
  const top = [...frames].sort((a, b) => b[1].us - a[1].us).slice(0, topCount).map(([frame, { bucket, us }]) => ({ frame, bucket, ms: us / 1000 }))
  return { cpuMs: cpuUs / 1000, idleMs: idleUs / 1000, buckets, top }
}

/** The breakdown as markdown: one table of buckets (ms and share of CPU) and one of the hottest functions. */
export function breakdownTable(breakdown: ProfileBreakdown, title: string): string {
  const share = (ms: number) => (breakdown.cpuMs > 0 ? `${((100 * ms) / breakdown.cpuMs).toFixed(1)}%` : '-')
  const lines = [`${title}: ${breakdown.cpuMs.toFixed(0)} ms sampled while busy (${breakdown.idleMs.toFixed(0)} ms idle)`, '', '| bucket | ms | share |', '|---|--:|--:|']
  for (const bucket of BUCKETS) if (breakdown.buckets[bucket] > 0) lines.push(`| ${bucket} | ${breakdown.buckets[bucket].toFixed(0)} | ${share(breakdown.buckets[bucket])} |`)
  lines.push('', '| hottest functions (self time) | bucket | ms | share |', '|---|---|--:|--:|')
  for (const { frame, bucket, ms } of breakdown.top) lines.push(`| \`${frame}\` | ${bucket} | ${ms.toFixed(0)} | ${share(ms)} |`)
  return lines.join('\n')
}
