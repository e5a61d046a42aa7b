import { describe, expect, it } from 'vitest'
import { BENCH_NODE_ENV, benchNode } from '../../bench/node-binary.js'
import { parseBenchOptions } from '../../bench/options.js'

describe('the Node the benchmark runs its scenarios on', () => {
  it('is --node, else $TEMPO_BATCH_BENCH_NODE, else the running one, named with its version', () => {
    expect(parseBenchOptions(['--node', '/opt/node24/bin/node']).node).toBe('/opt/node24/bin/node')
    expect(parseBenchOptions([]).node).toBeUndefined()
    expect(benchNode(undefined, {})).toEqual({ path: process.execPath, version: process.version })
    expect(benchNode(undefined, { [BENCH_NODE_ENV]: process.execPath }).version).toBe(process.version)
    expect(benchNode(process.execPath, { [BENCH_NODE_ENV]: '/nowhere/node' }).path).toBe(process.execPath)
  })

  it('refuses a path that does not run as node', () => {
    expect(() => benchNode('/nowhere/node', {})).toThrow(/^bench: --node "\/nowhere\/node" does not run as node/)
    expect(() => benchNode('/bin/echo', {})).toThrow(/not a node version/)
  })
})
