import type { IncomingMessage } from 'node:http'
import type { RosterError } from '../core/errors.js'
import type { HttpError } from './http-error.js'
import type { Reply, createRouter } from './router.js'

/** One documented HTTP API: the paths it owns, its routes and its own error envelope. */
export interface Surface {
  owns(pathname: string): boolean
  readonly router: ReturnType<typeof createRouter>
  /** The reply for a failure, in this surface's envelope and status table; `req` when one is being answered. */
  renderError(error: RosterError | HttpError, req?: IncomingMessage): Reply
  /** Content type of this surface's JSON replies. */
  readonly contentType: string
  /** Headers every reply of this surface carries (JSON:API's `Vary: Accept`). */
  readonly headers?: Readonly<Record<string, string>>
}
