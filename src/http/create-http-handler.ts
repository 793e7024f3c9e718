import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import { RosterError } from '../core/errors.js'
import type { Roster } from '../open-roster.js'
import { createAdminSurface } from './admin/admin-surface.js'
import { createIamSurface } from './iam/iam-surface.js'
import { createAccountUsersSurface } from './account-users/account-users-surface.js'
import { HttpError } from './http-error.js'
import type { Reply } from './router.js'
import type { Surface } from './surface.js'

export interface HttpHandlerOptions {
  /** Called with every unexpected error (a bug) before the 500 goes out; defaults to console.error. */
  readonly onUnexpectedError?: (error: unknown, req: IncomingMessage) => void
}

/** A node:http request listener serving roster's HTTP APIs; mount it in any server. */
export function createHttpHandler(roster: Roster, options: HttpHandlerOptions = {}): RequestListener {
  const surfaces: Surface[] = [createAdminSurface(roster), createIamSurface(roster), createAccountUsersSurface(roster)]
  const onUnexpectedError = options.onUnexpectedError ?? ((error) => console.error('roster: unexpected error', error))

  return (req, res) => {
    void handle(req, res)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const surface = surfaces.find((s) => s.owns(url.pathname))
    if (!surface) return send(res, { status: 404, body: { error: 'Not found' } }, 'application/json')
    let reply: Reply
    try {
      const { handler, params } = surface.router.match(req.method ?? 'GET', url.pathname)
      reply = await handler({ req, res, url, params })
    } catch (error) {
      if (error instanceof RosterError || error instanceof HttpError) {
        reply = surface.renderError(error)
      } else {
        onUnexpectedError(error, req)
        reply = surface.renderError(new HttpError(500, 'Internal server error'))
      }
    }
    send(res, reply, surface.contentType)
  }
}

function send(res: ServerResponse, reply: Reply, contentType: string): void {
  if (res.headersSent) return void res.end()
  const headers: Record<string, string> = { ...reply.headers }
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end()
    return
  }
  const payload = JSON.stringify(reply.body)
  headers['content-type'] ??= contentType
  headers['content-length'] = String(Buffer.byteLength(payload))
  res.writeHead(reply.status, headers).end(payload)
}
