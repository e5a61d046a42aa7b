import { answerCompare } from '../compare-route.js'
import { DEFAULT_MAX_BODY_BYTES, headerValue, readTenantBody } from '../request-params.js'
import type { Route } from '../router.js'

/** `POST /v1/compare`: two groups fetched and compared; HTML for `Accept: text/html` or `?format=html`. */
export const compareRoute: Route = {
  methods: ['POST'],
  path: '/v1/compare',
  handle: async ({ req, res, url, options }) => {
    const wantsHtml = url.searchParams.get('format') === 'html' || (headerValue(req, 'accept') ?? '').includes('text/html')
    const body = await readTenantBody(req, options.limits?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)
    return answerCompare(res, body, wantsHtml, options.batch, { tenantMaxBytesPerTrace: options.lookup.tenantMaxBytesPerTrace })
  },
}
