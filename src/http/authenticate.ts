import type { IncomingMessage } from 'node:http'
import { withCallContext, type CallContext, type Principal } from '../core/principal.js'
import type { Roster } from '../open-roster.js'
import { HttpError } from './http-error.js'
import type { RequestContext } from './router.js'

/**
 * The key a request presents: `Authorization: Bearer KEY`, else `X-API-Key: KEY`; null when neither
 * is given. HttpError 400 when either header comes twice or the two name different keys: Node keeps
 * only the first Authorization, so a second one must not be silently ignored.
 */
export function presentedKey(req: IncomingMessage): string | null {
  const authorizations = req.headersDistinct['authorization'] ?? []
  const apiKeys = req.headersDistinct['x-api-key'] ?? []
  if (authorizations.length > 1) throw new HttpError(400, 'Authorization header given more than once')
  if (apiKeys.length > 1) throw new HttpError(400, 'X-API-Key header given more than once')
  const bearer = authorizations[0] === undefined ? null : (/^Bearer\s+(\S+)\s*$/i.exec(authorizations[0])?.[1] ?? null)
  const apiKey = apiKeys[0]?.trim() || null
  if (bearer !== null && apiKey !== null && bearer !== apiKey) {
    throw new HttpError(400, 'Authorization and X-API-Key name different keys: send one')
  }
  return bearer ?? apiKey
}

/**
 * The principal of the request's key (UnauthenticatedError when none is valid), noted for the request log,
 * carrying the surface and request id so the audit log records where each change came from.
 */
export async function authenticateRequest(roster: Roster, ctx: RequestContext, surface: CallContext['surface']): Promise<Principal> {
  const principal = await roster.authenticate(presentedKey(ctx.req))
  ctx.facts.tenantId = principal.kind === 'bootstrap' ? null : principal.tenantId
  return withCallContext(principal, { surface, requestId: ctx.requestId })
}
