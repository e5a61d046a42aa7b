import { answerBatch } from '../batch-endpoint.js'
import type { Route } from '../router.js'

/** `POST /v1/batch`: the batch API contract shared with the deployed API (see `batch-endpoint.ts`), behind the server's back-pressure. */
export const batchRoute: Route = {
  methods: ['POST'],
  path: '/v1/batch',
  handle: ({ req, res, options, admission }) =>
    answerBatch(req, res, { batch: options.batch, limits: { tenantMaxBytesPerTrace: options.lookup.tenantMaxBytesPerTrace, ...options.limits }, admission }),
}
