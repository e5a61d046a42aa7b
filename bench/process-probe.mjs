// Preloaded (`node --import`) into a whole-process measurement: at exit, writes the process's CPU time
// (user + system, every thread) and peak RSS to $BENCH_PROBE_OUT.
import { writeFileSync } from 'node:fs'
import process from 'node:process'

process.on('exit', () => {
  const cpu = process.cpuUsage()
  const out = process.env.BENCH_PROBE_OUT
  if (out) writeFileSync(out, JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }))
})
