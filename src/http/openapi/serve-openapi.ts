import { HttpError } from '../http-error.js'
import type { Reply } from '../router.js'
import { buildOpenApiDocument, type DocumentedSurface } from './openapi-document.js'

/**
 * `GET /openapi.json`, without a key: the document describes the API and holds no data, and clients
 * need it before they have a key. Built on first request from the surfaces' route tables, then reused.
 */
export function openApiResponder(surfaces: readonly DocumentedSurface[]): (method: string | undefined) => Reply {
  let document: Record<string, unknown> | undefined
  return (method) => {
    if (method !== 'GET' && method !== 'HEAD') {
      const error = new HttpError(405, `Method ${method} not allowed`, undefined, { allow: 'GET, HEAD' })
      return { status: error.status, headers: error.headers, body: { error: error.message } }
    }
    document ??= buildOpenApiDocument(surfaces)
    return { status: 200, headers: { 'cache-control': 'public, max-age=300' }, body: document }
  }
}
