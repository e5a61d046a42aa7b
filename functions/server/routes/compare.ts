import { answerCompare } from '../compare-route.js'
import { BATCH_API_DEFAULTS } from '../../core/contract/batch-api.js'
import { readContractJson } from '../batch-endpoint.js'
import { headerValue } from '../request-params.js'
import type { Route } from '../router.js'

/** `POST /v1/compare`: two groups fetched and compared; HTML for `Accept: text/html` or `?format=html`. */
export const compareRoute: Route = {
  methods: ['POST'],
  path: '/v1/compare',
  handle: async ({ req, res, url, options, admission }) => {
    const wantsHtml = url.searchParams.get('format') === 'html' || (headerValue(req, 'accept') ?? '').includes('text/html')
    // The same body rules as /v1/batch: size, content type, UTF-8, and the tenant from the body or X-Scope-OrgID.
    const body = await readContractJson(req, { ...BATCH_API_DEFAULTS, ...options.limits })
    const admit = <T>(ids: number, work: () => Promise<T>) => admission.run(ids, work)
    return answerCompare(res, body, wantsHtml, options.batch, { tenantMaxBytesPerTrace: options.lookup.tenantMaxBytesPerTrace }, admit)
  },
}
