/**
 * OTLP enum value names in number order, as jsonpb writes and reads them; the one table shared by the
 * JSON writer (`traceToJson`) and reader (`traceFromJson`) so the two cannot drift apart.
 */

/** `Span.SpanKind` names, indexed by enum number. */
export const SPAN_KIND_NAMES: readonly string[] = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
]

/** `Status.StatusCode` names, indexed by enum number. */
export const STATUS_CODE_NAMES: readonly string[] = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR']
