import { Session } from 'node:inspector/promises'
import type { CpuProfile } from './cpu-profile.js'

/** Sampling interval of the profiles the bench takes, µs (V8's default is 1,000). */
const SAMPLING_INTERVAL_US = 500

/**
 * Run `work` under V8's CPU profiler of this thread (the in-process readers run here), so the profile
 * covers exactly the measured request and not module loading or the warm-up.
 */
export async function profiled<T>(work: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }> {
  const session = new Session()
  session.connect()
  try {
    await session.post('Profiler.enable')
    await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US })
    await session.post('Profiler.start')
    const result = await work()
    const { profile } = await session.post('Profiler.stop')
    return { result, profile: profile as unknown as CpuProfile }
  } finally {
    session.disconnect()
  }
}
