import { readFile, writeFile } from 'node:fs/promises'
import { peakRssMb, type ScenarioResult, type ScenarioSpec } from './common.js'
import { runBatchScenario } from './scenarios/batch.js'
import { runDuckDbScenario } from './scenarios/duckdb.js'
import { runFloorScenario } from './scenarios/floor.js'
import { runNaiveScenario } from './scenarios/naive.js'
import { runSingleScenario } from './scenarios/single.js'

/**
 * One scenario in its own process, so its peak RSS (`process.resourceUsage().maxRSS`, worker threads
 * included) is its own. Usage: `child.ts <spec.json>`; the result goes to `spec.resultFile`.
 */
const spec = JSON.parse(await readFile(process.argv[2]!, 'utf8')) as ScenarioSpec
const runners: Record<ScenarioSpec['scenario'], (s: ScenarioSpec) => Promise<ScenarioResult>> = {
  batch: runBatchScenario,
  single: runSingleScenario,
  duckdb: runDuckDbScenario,
  naive: runNaiveScenario,
  floor: runFloorScenario,
  profile: runBatchScenario,
}
const result = await runners[spec.scenario](spec)
result.peakRssMb = peakRssMb()
await writeFile(spec.resultFile, JSON.stringify(result))
// Worker pools and DuckDB threads must not keep the child alive.
process.exit(0)
