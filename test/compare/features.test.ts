import { describe, expect, it } from 'vitest'
import { compareGroups } from '../../functions/core/compare/compare-groups.js'
import { featureId } from '../../functions/core/compare/feature-keys.js'
import { tracesOfResult } from '../../functions/core/compare/group-source.js'
import { selfTime, traceFeatures } from '../../functions/core/compare/trace-features.js'
import { viewTrace } from '../../functions/core/compare/trace-view.js'
import type { ResultLine } from '../../functions/core/contract/types.js'
import { traceToJson } from '../../functions/core/otlp/json.js'
import type { Trace } from '../../functions/core/otlp/model.js'
import { handTrace } from './hand-traces.js'

const attr = (key: string, value: string) => ({ key, value: { stringValue: value } })

/** A two-span trace: root `GET /` calling `child`, with span attributes on the root. */
function small(rootAttributes: ReturnType<typeof attr>[], child = 'db', error = false): Trace {
  return handTrace([
    [1, 0, 'GET /', 0, 100, { attributes: rootAttributes, kind: 2 }],
    [2, 1, child, 10, 60, error ? { status: { code: 2, message: 'boom' }, events: [{ timeUnixNano: 0n, name: 'exception', attributes: [attr('exception.type', 'IOError')] }] } : {}],
  ])
}

describe('features of one trace', () => {
  it('services, operations, kinds, root, errors, messages, exceptions, edges and measures', () => {
    const features = traceFeatures(viewTrace(small([attr('region', 'eu')], 'db', true)))
    expect([...features.presence].sort()).toEqual([
      featureId('call-edge', 'svc: GET /', 'svc: db'),
      featureId('error', 'svc: db'),
      featureId('error-message', 'svc: db', 'boom'),
      featureId('exception', 'svc: db', 'IOError'),
      featureId('operation', 'svc: GET /'),
      featureId('operation', 'svc: db'),
      featureId('root-operation', 'svc: GET /'),
      featureId('service', 'svc'),
      featureId('span-kind', 'INTERNAL'),
      featureId('span-kind', 'SERVER'),
    ].sort())
    expect(features.measures.get(featureId('self-time', 'svc: GET /'))).toBe(50)
    expect(features.measures.get(featureId('duration', 'svc: db'))).toBe(50)
    expect(features.measures.get(featureId('critical-path-share', 'svc: db'))).toBe(0.5)
    expect(features.measures.get(featureId('trace-duration', 'trace'))).toBe(100)
    expect(features.attributes.get(featureId('span-attribute', 'region'))).toEqual(new Set(['eu']))
    // service.name is the service feature, not a resource attribute value.
    expect(features.attributes.has(featureId('resource-attribute', 'service.name'))).toBe(false)
  })

  it('self time subtracts the union of overlapping children, clamped to the span', () => {
    const view = viewTrace(handTrace([
      [1, 0, 'root', 0, 100],
      [2, 1, 'a', 10, 40],
      [3, 1, 'b', 30, 50],
      [4, 1, 'c', 90, 130],
    ]))
    expect(selfTime(view, view.spans[0]!)).toBe(100 - 40 - 10)
  })
})

describe('group comparison', () => {
  it('skips ID-like attribute keys as high cardinality and compares the rest value by value', async () => {
    const group = (offset: number) => Array.from({ length: 30 }, (_, i) => small([attr('request.id', `r-${offset + i}`), attr('region', i % 2 ? 'eu' : 'us')]))
    const report = await compareGroups({ traces: group(0) }, { traces: group(100) })
    expect(report.skippedAttributes).toEqual([{ scope: 'span', key: 'request.id', distinctValues: 60, traces: 60, ratio: 1, reason: 'high cardinality, skipped: 60 distinct values in 60 traces' }])
    expect(report.presence.some((s) => s.subject === 'request.id')).toBe(false)
    expect(report.presence.find((s) => s.id === featureId('span-attribute', 'region', 'eu'))).toMatchObject({ a: 15, b: 15, p: 1 })
  })

  it('lists call edges present in one group only', async () => {
    const report = await compareGroups({ traces: Array.from({ length: 10 }, () => small([], 'cache')) }, { traces: Array.from({ length: 12 }, () => small([], 'db')) })
    expect(report.oneSidedEdges).toEqual([
      { parent: 'svc: GET /', child: 'svc: db', a: 0, b: 12, onlyIn: 'B' },
      { parent: 'svc: GET /', child: 'svc: cache', a: 10, b: 0, onlyIn: 'A' },
    ])
    expect(report.groups.a).toMatchObject({ label: 'A', traces: 10, durationMs: { p50: 100, p95: 100 } })
  })

  it('reads groups from result lines, counting lines by status and skipping those without a trace', async () => {
    const lines: ResultLine[] = [
      { traceId: '01', status: 'found', trace: JSON.parse(traceToJson(small([]))) as unknown },
      { traceId: '02', status: 'not_found' },
      { traceId: '03', status: 'partial', trace: JSON.parse(traceToJson(small([]))) as unknown, message: 'block x failed' },
    ]
    const counts: Record<string, number> = {}
    const report = await compareGroups({ label: 'failed', traces: tracesOfResult(lines, counts), lines: counts }, { traces: [small([])] })
    expect(report.groups.a).toMatchObject({ label: 'failed', traces: 2, lines: { found: 1, not_found: 1, partial: 1 } })
    expect(counts).toEqual({ found: 1, not_found: 1, partial: 1 })
  })
})
