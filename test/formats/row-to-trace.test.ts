import { describe, expect, it } from 'vitest'
import type { BlockMeta } from '../../functions/core/blocks/block-meta.js'
import { resolveFormat } from '../../functions/core/formats/registry.js'
import { traceToJson } from '../../functions/core/otlp/json.js'

/** Row -> OTLP rules on hand-made rows (spec §6.3): attribute order, times with uint64 wrap, missing columns. */

const U64_MAX = (1n << 64n) - 1n

function meta(format: string, dedicated: BlockMeta['dedicatedColumns'] = []): BlockMeta {
  return {
    format,
    blockId: '00000000-0000-0000-0000-000000000001',
    tenantId: 't',
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    totalObjects: 1,
    size: 0,
    compactionLevel: 0,
    totalRecords: 1,
    bloomShards: 1,
    footerSize: 0,
    dedicatedColumns: dedicated,
    replicationFactor: 1,
  }
}

const traceId = new Uint8Array(16).fill(1)
const spanId = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 2])

describe('convertRow', () => {
  it('an empty row (every column missing) is an empty trace', () => {
    for (const f of ['vParquet2', 'vParquet3', 'vParquet4', 'vParquet5']) expect(resolveFormat(meta(f)).convertRow({}, meta(f))).toEqual({})
  })

  it('vParquet4: generic, dedicated, service.name, well-known resource and span attributes in that order; times wrap', () => {
    const m = meta('vParquet4', [
      { name: 'env', scope: 'resource', type: 'string', options: [] },
      { name: 'route', scope: 'span', type: 'string', options: [] },
    ])
    const row = {
      TraceID: traceId,
      rs: [
        {
          Resource: {
            Attrs: [{ Key: 'a', IsArray: false, Value: ['1'], ValueInt: [], ValueDouble: [], ValueBool: [], ValueUnsupported: null }],
            DroppedAttributesCount: 0,
            ServiceName: 'svc',
            Cluster: null,
            K8sPodName: 'pod-1',
            DedicatedAttributes: { String01: 'prod', String02: null },
          },
          ss: [
            {
              Scope: { Name: '', Version: '', Attrs: [], DroppedAttributesCount: 0 },
              Spans: [
                {
                  SpanID: spanId,
                  ParentSpanID: new Uint8Array(0),
                  Name: 'op',
                  Kind: 2n,
                  TraceState: '',
                  StartTimeUnixNano: U64_MAX - 1n,
                  DurationNano: 3n,
                  StatusCode: 0n,
                  StatusMessage: '',
                  Attrs: [],
                  DroppedAttributesCount: -1,
                  Events: [{ TimeSinceStartNano: 2n, Name: 'e', Attrs: [], DroppedAttributesCount: 0 }],
                  DroppedEventsCount: 0,
                  Links: [],
                  DroppedLinksCount: 0,
                  HttpMethod: null,
                  HttpUrl: '/x',
                  HttpStatusCode: 200n,
                  DedicatedAttributes: { String01: '/r' },
                },
              ],
            },
          ],
        },
      ],
    }
    expect(traceToJson(resolveFormat(m).convertRow(row, m))).toBe(
      '{"resourceSpans":[{"resource":{"attributes":[{"key":"a","value":{"stringValue":"1"}},{"key":"env","value":{"stringValue":"prod"}},' +
        '{"key":"service.name","value":{"stringValue":"svc"}},{"key":"k8s.pod.name","value":{"stringValue":"pod-1"}}]},' +
        '"scopeSpans":[{"scope":{},"spans":[{"traceId":"AQEBAQEBAQEBAQEBAQEBAQ==","spanId":"AAAAAAAAAAI=","name":"op","kind":"SPAN_KIND_SERVER",' +
        '"startTimeUnixNano":"18446744073709551614","endTimeUnixNano":"1","attributes":[{"key":"route","value":{"stringValue":"/r"}},' +
        '{"key":"http.url","value":{"stringValue":"/x"}},{"key":"http.status_code","value":{"intValue":"200"}}],"droppedAttributesCount":4294967295,' +
        // The event time wraps to 0, which jsonpb omits.
        '"events":[{"name":"e"}],"status":{}}]}]}]}',
    )
  })

  it('vParquet2: absolute event times, protobuf links, a scope without spans keeps its scope', () => {
    const m = meta('vParquet2')
    const linkSlice = new Uint8Array([0x0a, 0x04, 0x12, 0x02, 0xab, 0xcd])
    const row = {
      TraceID: traceId,
      rs: [
        {
          Resource: { Attrs: [], ServiceName: '' },
          ss: [
            { Scope: { Name: 'lib', Version: '1' }, Spans: [] },
            {
              Scope: { Name: '', Version: '' },
              Spans: [
                {
                  SpanID: spanId,
                  StartTimeUnixNano: 10n,
                  DurationNano: 5n,
                  Kind: 0n,
                  StatusCode: 2n,
                  StatusMessage: 'bad',
                  Events: [{ TimeUnixNano: 7n, Name: 'early', Attrs: [{ Key: 'k', Value: new Uint8Array([0x10, 0x01]) }] }],
                  Links: linkSlice,
                },
              ],
            },
          ],
        },
      ],
    }
    expect(traceToJson(resolveFormat(m).convertRow(row, m))).toBe(
      '{"resourceSpans":[{"resource":{},"scopeSpans":[{"scope":{"name":"lib","version":"1"}},{"scope":{},"spans":[{"traceId":"AQEBAQEBAQEBAQEBAQEBAQ==",' +
        '"spanId":"AAAAAAAAAAI=","startTimeUnixNano":"10","endTimeUnixNano":"15","events":[{"timeUnixNano":"7","name":"early",' +
        '"attributes":[{"key":"k","value":{"boolValue":true}}]}],"links":[{"spanId":"q80="}],"status":{"message":"bad","code":"STATUS_CODE_ERROR"}}]}]}]}',
    )
  })

  it('vParquet2/3: undecodable link bytes mean no links, as in Tempo', () => {
    const m = meta('vParquet3')
    const row = { TraceID: traceId, rs: [{ Resource: {}, ss: [{ Scope: {}, Spans: [{ SpanID: spanId, Links: new Uint8Array([0x0a, 0x09, 0x01]) }] }] }] }
    const span = resolveFormat(m).convertRow(row, m).resourceSpans![0]!.scopeSpans![0]!.spans![0]!
    expect(span.links).toBeUndefined()
  })
})
