import type { RosterError } from '../core/errors.js'
import type { HttpError } from './http-error.js'
import type { Reply, createRouter } from './router.js'

/** One documented HTTP API: the paths it owns, its routes and its own error envelope. */
export interface Surface {
  owns(pathname: string): boolean
  readonly router: ReturnType<typeof createRouter>
  /** The reply for a failure, in this surface's envelope and status table. */
  renderError(error: RosterError | HttpError): Reply
  /** Content type of this surface's JSON replies. */
  readonly contentType: string
}
