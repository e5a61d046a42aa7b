/**
 * Print the reader breakdown of CPU profiles taken elsewhere, e.g.
 * `node --cpu-prof --cpu-prof-dir=prof bin/tempo-batch.js fetch ... --concurrency 1` then
 * `node --import tsx bench/profile-summary.ts prof/*.cpuprofile` (one table per file; worker threads
 * write their own file, so the reader thread's table is the one with the parquet work).
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { breakdownOf, breakdownTable, type CpuProfile } from './profile/cpu-profile.js'

const files = process.argv.slice(2)
if (files.length === 0) {
  process.stderr.write('usage: profile-summary.ts <file.cpuprofile>...\n')
  process.exit(2)
}
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  process.stdout.write(`${breakdownTable(breakdownOf([profile]), basename(file))}\n\n`)
}
