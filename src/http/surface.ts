import type { IncomingMessage } from 'node:http'
import type { RosterError } from '../core/errors.js'
import type { HttpError } from './http-error.js'
import type { SurfaceDoc } from './openapi/operation-doc.js'
import type { Reply, Route, createRouter } from './router.js'

/** One documented HTTP API: the paths it owns, its routes and its own error envelope. */
export interface Surface {
  owns(pathname: string): boolean
  readonly router: ReturnType<typeof createRouter>
  /** The route table the router matches, which the OpenAPI document is built from. */
  readonly routes: readonly Route[]
  /** What the OpenAPI document says of the surface and of each of its routes. */
  readonly doc: () => SurfaceDoc
  /** The reply for a failure, in this surface's envelope and status table; `req` when one is being answered. */
  renderError(error: RosterError | HttpError, req?: IncomingMessage): Reply
  /** Content type of this surface's JSON replies. */
  readonly contentType: string
  /** Headers every reply of this surface carries (JSON:API's `Vary: Accept`). */
  readonly headers?: Readonly<Record<string, string>>
}
